"""The recommender's engine, without Django (as generation/gan/ is the image engine's): interactions and their
time split, the popularity and co-occurrence baselines, the for-you model (implicit's ALS blended with image
features), visual neighbours, complete-the-look ranking, the merchandisers' rules and the offline figures.
Only visual.py needs PyTorch, and only a worker imports it."""
