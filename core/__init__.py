"""Shared helpers at the bottom of the layers: no app of the project is imported from here."""
