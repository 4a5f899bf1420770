"""The YAML's keys for states, types and sources, and the words readers see for them: one table per thing."""

from __future__ import annotations

ETATS = {
    "non_engagee": "non engagée",
    "en_cours": "en cours",
    "realisee": "réalisée",
    "reportee": "reportée",
    "abandonnee": "abandonnée",
}
# How often an indicator is measured, as the fiche prints it after « mesure »
FREQUENCIES = {
    "mensuelle": "mensuelle",
    "trimestrielle": "trimestrielle",
    "semestrielle": "semestrielle",
    "annuelle": "annuelle",
    "biennale": "tous les deux ans",
    "triennale": "tous les trois ans",
    "ponctuelle": "ponctuelle",
}
# The years between two measures of an indicator measured less than once a year (ponctuelle: once, see compute)
CYCLE_YEARS = {"biennale": 2, "triennale": 3}
INDICATOR_TYPES = {"realisation": "réalisation", "resultat": "résultat", "impact": "impact"}
FUNDING_SOURCES = {
    "fipd": "FIPD",
    "politique_de_la_ville": "politique de la ville",
    "commune": "commune",
    "intercommunalite": "intercommunalité",
    "departement": "département",
    "region": "région",
    "caf": "CAF",
    "mildeca": "MILDECA",
    "ars": "ARS",
    "transporteur": "opérateur de transport",
    "etat_autre": "État (autre)",
    "bailleur": "bailleur",
    "autre": "autre",
}
FUNDING_STATUS = {"prevu": "prévu", "demande": "demandé", "accorde": "accordé"}
PARTNER_TYPES = {
    "commune": "Commune",
    "intercommunalite": "Intercommunalité",
    "etat": "État",
    "justice": "Justice",
    "police_gendarmerie": "Police et gendarmerie",
    "education": "Éducation",
    "departement": "Département",
    "region": "Région",
    "bailleur": "Bailleur social",
    "transport": "Transport",
    "sante": "Santé",
    "association": "Association",
    "entreprise": "Entreprise",
    "autre": "Autre",
}
# The governance's instances, its links with other schemes, the evaluation calendar's steps (strategie.schema.json)
BODY_TYPES = {
    "pleniere": "Séance plénière",
    "formation_restreinte": "Formation restreinte",
    "comite_pilotage": "Comité de pilotage",
    "groupe_thematique": "Groupe thématique",
    "groupe_territorial": "Groupe territorial",
    "cellule_veille": "Cellule de veille",
    "autre": "Autre instance",
}
SCHEMES = {
    "contrat_de_ville": "Contrat de ville",
    "gltd": "Groupe local de traitement de la délinquance (GLTD)",
    "cddf": "Conseil pour les droits et devoirs des familles (CDDF)",
    "plan_departemental": "Plan départemental de prévention de la délinquance",
    "cls": "Contrat local de santé (CLS)",
    "autre": "Autre dispositif",
}
EVALUATION_STEPS = {
    "bilan_annuel": "Bilan annuel",
    "mi_parcours": "Revue à mi-parcours",
    "evaluation_finale": "Évaluation finale",
}
# The year's state of a fiche, in the order the bilan lists them; « non évaluée » is no key of the YAML but the
# state of a fiche that the year's evaluation leaves out.
STATE_ORDER = ["realisee", "en_cours", "non_engagee", "reportee", "abandonnee", "non_evaluee"]
STATE_LABELS = {**ETATS, "non_evaluee": "non évaluée"}
NEXT_STEPS = {"poursuivre": "poursuivre", "adapter": "adapter", "arreter": "arrêter"}
