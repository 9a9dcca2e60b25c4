"""Selenium crawler for MUSINSA outfit -> item -> outfit pages, and the replica shop."""
