from .readings import LocalReading
from .synonyms import SynonymGroup
from .vocabulary import IndexedWords
from .zero_results import ZeroResultSearch

__all__ = ["IndexedWords", "LocalReading", "SynonymGroup", "ZeroResultSearch"]
