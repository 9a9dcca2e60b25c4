"""The replica shop: MUSINSA's 2022 outfit and goods pages, generated with a ground truth, served locally."""
