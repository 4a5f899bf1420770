"""What the operating system refused, said in French (its own messages are in the machine's language)."""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOSPC: "plus de place sur le disque",
    errno.EDQUOT: "quota de disque dépassé",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "disque en lecture seule",
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.EEXIST: "un fichier de ce nom existe déjà",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ELOOP: "trop de liens symboliques (boucle ?)",
    errno.EIO: "erreur d'entrée-sortie du disque",
}


def describe(error: OSError) -> str:
    """« « dist/strategie.docx » : plus de place sur le disque »."""
    reason = _REASONS.get(error.errno or 0) or error.strerror or type(error).__name__
    return f"« {error.filename} » : {reason}" if error.filename else reason
