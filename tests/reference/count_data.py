"""Input series shared by the count-model reference scripts (poisson.py, negbin.py).

The series were drawn once with numpy (default_rng(20240601): Poisson with log-mean
0.5 + 0.12 (t − 2000); NB2 with α = 0.35 and log-mean 1 + 0.08 (t − 2000); default_rng(7): NB2
with α = 1.2 and mean 6) and are written out literally so that a numpy upgrade cannot change them.
"""
YEARS = list(range(2000, 2024))
RISING = [2, 1, 3, 2, 4, 2, 2, 2, 3, 4, 7, 6, 5, 16, 9, 14, 8, 17, 14, 18, 19, 19, 30, 18]
OVERDISPERSED = [2, 2, 2, 5, 0, 4, 7, 1, 0, 3, 4, 4, 10, 11, 3, 9, 9, 2, 2, 16, 4, 19, 27, 10]
FLAT_OVERDISPERSED = [4, 11, 2, 38, 5, 0, 0, 12, 6, 2, 31, 5, 8, 20, 1, 15, 8, 6, 7, 1, 2, 22, 11, 3]
WITH_ZEROS = [0, 0, 1, 0, 2, 3, 1, 5, 4, 8]
SHORT = [2, 5, 9]
SHORT_YEARS = [2021, 2022, 2023]
CONSTANT = [5, 5, 5, 5, 5, 5]
