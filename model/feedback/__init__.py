"""Learning from shoppers: feedback evidence from usage events, position-bias correction, the score
term the `feedback` variant adds to the recommender, session re-ranking and experiment statistics.

Nothing here imports torch: the app loads it next to the recommender.
"""
