"""Tests of features and the recommender."""
