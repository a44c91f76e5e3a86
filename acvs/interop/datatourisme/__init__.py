"""DATAtourisme: the national ontology of French tourism data (https://www.datatourisme.fr/ontology/core#)."""
