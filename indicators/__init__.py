"""Indicators, benefits and the Colombian tax calendar: the indicators issue."""
