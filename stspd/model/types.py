"""The types of the YAML's records and of the document model, for mypy: no check, no conversion at run time.

The data are valid before they are typed (JSON Schema, then the cross-file rules: commands/valid.py), so these
types only say what the schemas/*.schema.json already require: a key the schema requires is required here, an
optional one is NotRequired (or the whole record is total=False). The keys are the YAML's, in French; the
types are named in English. Values stay as YAML reads them: a number is an int or a float (`float` here), a
date the text typed (`str`), an enumerated value its key (`str`: the tables of model/vocabulary.py name them).

TypedDicts keep dict semantics, so the Jinja templates (key or attribute access) read the model as before.
No `from __future__ import annotations` here: NotRequired must be evaluated for `__required_keys__` to be right
(tests/test_model_types.py compares them with the schemas); the model's forward references are quoted.
"""

from typing import NotRequired, TypedDict

# Shared (commun.schema.json)


class NationalMeasureLink(TypedDict):
    """A link to an axe (and a measure) of a national strategy of the catalogue (`mesures_nationales`)."""

    strategie: str
    axe: int
    mesure: NotRequired[int]


class NationalMeasure(TypedDict):
    """A link as the documents show it: titles resolved from its frame."""

    strategie: str  # the frame's title
    strategie_id: str
    strategie_court: str  # its short title, as a fiche's identity table names it
    axe: int
    axe_titre: str
    mesure: int | None
    mesure_titre: str | None


class AlignmentRow(NationalMeasure):
    """An axe or a measure of a frame, with the local axes, objectives and fiches that answer it."""

    elements: list[str]  # « Axe 1 », « Objectif 1.2 », « Fiche 1.2.3 »


class FrameAxis(TypedDict):
    numero: int
    titre: str


class FrameAlignment(TypedDict):
    """A frame the strategy points to, what answers it, and its axes nothing answers."""

    id: str
    titre: str
    type: str  # national, departemental, fipd, autre
    statut: str  # publie, provisoire
    source: str
    lignes: list[AlignmentRow]  # by axe, then measure (the axe as a whole first)
    axes_non_couverts: list[FrameAxis]
    nombre_axes: int


# strategie.yaml (strategie.schema.json)


class Qpv(TypedDict):
    code: str
    nom: str
    population: NotRequired[int]


class Neighbourhood(TypedDict):
    """A neighbourhood the strategy follows besides the QPVs."""

    nom: str
    population: NotRequired[int]
    motif: NotRequired[str]


class Territory(TypedDict):
    nom: str
    type: str  # commune, epci
    code_insee: NotRequired[str]
    departement: NotRequired[str]
    region: NotRequired[str]
    population: NotRequired[int]
    population_annee: NotRequired[int]
    logements: NotRequired[int]
    communes: NotRequired[list[str]]
    qpv: NotRequired[list[Qpv]]
    quartiers: NotRequired[list[Neighbourhood]]
    presentation: NotRequired[str]


class Period(TypedDict):
    debut: int
    fin: int


class Signatory(TypedDict):
    institution: str
    qualite: NotRequired[str]


class Deliberation(TypedDict):
    date: str  # AAAA-MM-JJ, as typed
    numero: NotRequired[str]


class Signing(TypedDict):
    lieu: str
    date: NotRequired[str]  # AAAA-MM-JJ, as typed


class Adoption(TypedDict, total=False):
    date: str  # AAAA-MM-JJ, as typed
    instance: str
    pleniere: str  # AAAA-MM-JJ: the CLSPD's opinion
    deliberation: Deliberation
    signature: Signing
    signataires: list[Signatory]


class Body(TypedDict):
    """An instance of the CLSPD's governance."""

    id: str
    nom: str
    type: NotRequired[str]  # pleniere, formation_restreinte, comite_pilotage, groupe_thematique, …
    presidence: NotRequired[str]
    animation: NotRequired[str]
    composition: NotRequired[str]
    membres: NotRequired[list[str]]  # partner ids
    axes: NotRequired[list[str]]  # axis ids
    rythme: NotRequired[str]
    role: NotRequired[str]
    confidentielle: NotRequired[bool]


class CoordinationPost(TypedDict):
    fonction: str
    rattachement: NotRequired[str]
    etp: NotRequired[float]
    missions: NotRequired[list[str]]


class Link(TypedDict):
    """Another scheme the strategy works with (contrat de ville, GLTD, CDDF…)."""

    dispositif: str
    nom: NotRequired[str]
    lien: str


class Governance(TypedDict, total=False):
    presentation: str
    coordination: str
    coordonnateur: CoordinationPost
    instances: list[Body]
    articulations: list[Link]


class Partner(TypedDict):
    id: str
    nom: str
    sigle: NotRequired[str]
    type: str  # a key of vocabulary.PARTNER_TYPES


class ObjectiveData(TypedDict):
    """An objective as strategie.yaml says it."""

    id: str
    titre: str
    description: NotRequired[str]
    mesures_nationales: NotRequired[list[NationalMeasureLink]]
    poids: NotRequired[float]


class _AxisCommon(TypedDict):
    id: str
    titre: str
    description: NotRequired[str]
    mesures_nationales: NotRequired[list[NationalMeasureLink]]


class AxisData(_AxisCommon):
    """An axe as strategie.yaml says it."""

    objectifs: list[ObjectiveData]


class Texts(TypedDict, total=False):
    edito: str
    cadre: str
    suivi_evaluation: str


class EvaluationStep(TypedDict):
    """A bilan or evaluation of the evaluation calendar."""

    type: str  # bilan_annuel, mi_parcours, evaluation_finale
    annee: int
    date: NotRequired[str]  # AAAA-MM or AAAA-MM-JJ, as typed
    instance: NotRequired[str]  # a governance instance id
    modalites: NotRequired[str]


class GlossaryEntry(TypedDict):
    sigle: str
    definition: str


class Strategy(TypedDict):
    """strategie.yaml."""

    titre: str
    sous_titre: NotRequired[str]
    version: NotRequired[str]
    statut: NotRequired[str]  # projet, adopte
    territoire: Territory
    periode: Period
    adoption: NotRequired[Adoption]
    gouvernance: NotRequired[Governance]
    partenaires: list[Partner]
    axes: list[AxisData]
    textes: NotRequired[Texts]
    calendrier_evaluation: NotRequired[list[EvaluationStep]]
    glossaire: NotRequired[list[GlossaryEntry]]
    logo: NotRequired[str]
    revisions: NotRequired[list[dict]]  # avenants and prolongations, as strategie.schema.json says


# actions/*.yaml (fiche.schema.json)


class DatedValue(TypedDict):
    """An indicator's baseline or target: a value and the year it holds for."""

    valeur: float
    annee: int


class Indicator(TypedDict):
    id: str
    type: str  # a key of vocabulary.INDICATOR_TYPES
    libelle: str
    unite: NotRequired[str]
    source: NotRequired[str]
    frequence: NotRequired[str]  # a key of vocabulary.FREQUENCIES
    premiere_mesure: NotRequired[int]
    reference: NotRequired[DatedValue]
    cible: NotRequired[DatedValue]
    sens: NotRequired[str]  # hausse (the default), baisse
    commentaire: NotRequired[str]


class Post(TypedDict):
    """A post the action takes: its function, its structure (a partner id or a name) and its full-time equivalent."""

    fonction: str
    structure: str
    etp: float


class FicheMeans(TypedDict, total=False):
    humains: str
    personnels: list[Post]
    materiels: str
    budget: float


class Funding(TypedDict):
    source: str  # a key of vocabulary.FUNDING_SOURCES
    precision: NotRequired[str]
    montant: float
    annee: NotRequired[int]
    recurrence: NotRequired[str]  # ponctuelle (the default), annuelle: montant is then each year's
    annees: NotRequired[list[int]]  # an annual line's years (by default, the action's)
    statut: NotRequired[str]  # a key of vocabulary.FUNDING_STATUS


class Milestone(TypedDict):
    date: str  # AAAA-MM or AAAA-MM-JJ, as typed
    libelle: str


class Schedule(TypedDict):
    debut: int | str  # a year, or a month AAAA-MM as typed
    fin: NotRequired[int | str]
    jalons: NotRequired[list[Milestone]]


class FicheData(TypedDict):
    """A fiche action as its YAML file says it."""

    id: str
    titre: str
    objectifs: list[str]  # objective ids, the main one first
    objectifs_operationnels: NotRequired[list[str]]  # the action's own aims
    mesures_nationales: NotRequired[list[NationalMeasureLink]]
    constats: NotRequired[list[str]]
    origine: NotRequired[str]  # where a carried fiche comes from (stspd new-period)
    contexte: NotRequired[str]
    description: NotRequired[str]
    modalites: NotRequired[str]
    public: NotRequired[list[str]]
    territoire: NotRequired[str]
    qpv: NotRequired[list[str]]
    pilote: str  # a partner id
    service_pilote: NotRequired[str]  # the pilot's department that leads it
    partenaires: NotRequired[list[str]]
    moyens: NotRequired[FicheMeans]
    financements: NotRequired[list[Funding]]
    calendrier: NotRequired[Schedule]
    indicateurs: NotRequired[list[Indicator]]


# evaluations/AAAA.yaml (evaluation.schema.json)


class IndicatorValue(TypedDict):
    """An indicator's value in a year: missing (absent or None) is unknown, never zero."""

    id: str
    valeur: NotRequired[float | None]
    commentaire: NotRequired[str]


class Spending(TypedDict, total=False):
    """The means a fiche used in the year."""

    montant: float
    dont_fipd: float
    humains: str


class Decision(TypedDict):
    """Who decided to postpone or abandon a fiche, when, and why: plain texts."""

    date: str  # AAAA-MM-JJ, as typed
    instance: str
    motif: str


class _EntryCommon(TypedDict):
    fiche: str  # the fiche's id
    decision: NotRequired[Decision]
    realise: NotRequired[str]
    indicateurs: NotRequired[list[IndicatorValue]]
    moyens: NotRequired[Spending]
    difficultes: NotRequired[str]
    commentaires: NotRequired[str]
    suite: NotRequired[str]  # a key of vocabulary.NEXT_STEPS
    suite_detail: NotRequired[str]


class EvaluationEntry(_EntryCommon):
    """What the year's evaluation says of one fiche."""

    etat: str  # a key of vocabulary.ETATS


class EntryUpdate(_EntryCommon):
    """What a collection workbook says of one fiche: only what was typed in it; its état may be recorded already."""

    etat: NotRequired[str]


Figure = float | str | None  # a number; "secret": withheld (statistical secrecy); None: missing


class YearFigure(TypedDict):
    """An indicator's figure of the evaluated year, for a row of a statistics table of the diagnostic."""

    indicateur: str  # the row's label in that table
    valeur: Figure
    taux: NotRequired[Figure]
    commentaire: NotRequired[str]


class YearFigures(TypedDict):
    """The evaluated year's figures for a statistics table of the diagnostic (`tableau`: its id)."""

    tableau: str
    source: NotRequired[str]
    lignes: list[YearFigure]


class Evaluation(TypedDict):
    annee: int
    date_bilan: NotRequired[str]
    synthese: NotRequired[str]
    fiches: list[EvaluationEntry]
    delinquance: NotRequired[list[YearFigures]]


# diagnostic.yaml or diagnostic/*.yaml (diagnostic.schema.json), merged: every section is optional


class Interview(TypedDict):
    institution: str
    nombre: int


class ProfileCount(TypedDict):
    modalite: str
    nombre: int


class RespondentProfile(TypedDict):
    """The respondents split by one criterion (sex, age, neighbourhood)."""

    critere: str
    effectifs: list[ProfileCount]


class Survey(TypedDict):
    public: str
    echantillon: int
    titre: NotRequired[str]
    debut: NotRequired[str]
    fin: NotRequired[str]
    mode: NotRequired[str]
    questionnaires_diffuses: NotRequired[int]
    questionnaires_retournes: NotRequired[int]
    profils: NotRequired[list[RespondentProfile]]


class WorkingGroup(TypedDict):
    theme: str
    seances: NotRequired[int]


class Method(TypedDict, total=False):
    presentation: str
    periode: str
    entretiens: list[Interview]
    enquete: Survey
    etude_documentaire: str
    groupes_travail: list[WorkingGroup]
    sources: list[str]


class FindingData(TypedDict):
    """A constat as the diagnostic says it."""

    id: str
    texte: str
    titre: NotRequired[str]
    sources: NotRequired[list[str]]


class NumberedFinding(FindingData):
    """A constat with the number readers cite it by (« 2.1 »: theme, then constat), which the model gives."""

    numero: str


class Finding(NumberedFinding):
    """A constat with the title of its theme, as a fiche's `constats_detail` holds it."""

    theme: str


class Theme(TypedDict):
    id: str
    titre: str
    synthese: NotRequired[str]
    constats: list[FindingData]


Column = int | str  # a year, or a period of years such as a school year (« 2023-2024 »)


def end_year(column: Column) -> int:
    """The year a column ends in: a period's last year, where a bilan cuts it and a chart places it."""
    return column if isinstance(column, int) else int(column.rpartition("-")[2])


class ValueNote(TypedDict):
    """A comment on one value of a row: `annee` is one of its table's columns."""

    annee: Column
    texte: str


class StatisticLine(TypedDict):
    indicateur: str
    valeurs: list[Figure]  # one per year of its table
    unite: NotRequired[str]  # what the row counts: victimes, infractions…
    taux: NotRequired[list[Figure]]  # per 1,000 inhabitants (dwellings when base_taux is logements)
    base_taux: NotRequired[str]
    commentaire: NotRequired[str]
    notes: NotRequired[list[ValueNote]]


class Comparison(TypedDict):
    territoire: str
    lignes: list[dict]  # {indicateur, taux}


class Statistic(TypedDict):
    id: str
    titre: str
    source: NotRequired[str]
    unite: NotRequired[str]
    annees: list[Column]
    lignes: list[StatisticLine]
    commentaire: NotRequired[str]
    populations: NotRequired[list[int | None]]
    logements: NotRequired[list[int | None]]
    comparaison: NotRequired[Comparison]
    origine: NotRequired[dict]


class SurveyAnswer(TypedDict):
    modalite: str
    part: float  # a percentage


class SurveyQuestion(TypedDict):
    question: str
    reponses: list[SurveyAnswer]
    commentaire: NotRequired[str]
    base: NotRequired[int]  # respondents to this question
    reponses_multiples: NotRequired[bool]


class Scheme(TypedDict):
    """A prevention scheme already in place (`dispositifs`)."""

    nom: str
    porteur: NotRequired[str]
    appreciation: NotRequired[str]


class Diagnostic(TypedDict, total=False):
    methode: Method
    themes: list[Theme]
    statistiques: list[Statistic]
    enquete_resultats: list[SurveyQuestion]
    atouts: list[str]
    faiblesses: list[str]
    dispositifs: list[Scheme]
    bilan_precedent: str


# The document model (model/strategy.py): the records above, linked and resolved


class Objective(ObjectiveData):
    axe: "Axis"
    fiches: list["Fiche"]  # the fiches whose main objective it is


class Axis(_AxisCommon):
    numero: int  # from 1, in the order of strategie.yaml
    objectifs: list[Objective]
    fiches: list["Fiche"]  # its objectives' fiches, in fiche order


class FundingLine(Funding):
    """A funding line as the document prints it: its years (an annual line's) and its total over them."""

    annees_detail: list[int]  # the years an annual line runs, named or the action's; none for a one-off line
    total: float


class StaffedPost(Post):
    structure_nom: str  # the partner's name when `structure` is a partner's id, else `structure` as typed
    structure_court: str  # the partner's acronym when it has one, else structure_nom: what a fiche's narrow cell holds


class StaffRow(TypedDict):
    structure: str
    etp: list[float]  # per axe, in axe order
    total: float


class Staffing(TypedDict):
    """The full-time equivalents of the fiches' posts, per structure and per axe (each fiche counted in its main
    objective's axe)."""

    lignes: list[StaffRow]  # per structure, by name
    axes: list[float]
    total: float


class Fiche(FicheData):
    objectif: Objective  # the main one
    axe: Axis  # the main objective's
    objectifs_detail: list[Objective]
    pilote_detail: Partner
    pilote_service: str  # the pilot and, when given, its service: « Ville de Valmont-sur-Loire (Direction des sports) »
    partenaires_detail: list[Partner]
    constats_detail: list[Finding]
    qpv_detail: list[Qpv]
    financement_acquis: float  # budgeted or granted
    financement_demande: float  # requested, not yet granted
    financements_detail: list[FundingLine]
    personnels_detail: list[StaffedPost]
    etp: float  # the posts' full-time equivalents
    mesures_detail: list[NationalMeasure]


class DocumentModel(TypedDict):
    """What the templates, the evaluation and the exchange formats read: `document_model(project)`."""

    strategie: Strategy
    territoire: Territory
    periode: Period
    partenaires: list[Partner]  # by name
    partner_types: dict[str, str]
    diagnostic: Diagnostic
    axes: list[Axis]
    fiches: list[Fiche]  # in natural order of their ids
    moyens_humains: Staffing | None  # None when no fiche counts its posts
    evaluations: list[Evaluation]  # by year
    alignement: list[FrameAlignment]
    glossaire: list[tuple[str, str]]  # (acronym, meaning) used in the texts, alphabetical
    instances_publiques: list[Body]
    instances_confidentielles: list[Body]
