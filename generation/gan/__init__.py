"""The image engine: a class-conditional GAN in plain PyTorch, with no Django import.

networks.py, loss.py, augment.py, data.py,
training_loop.py, sampling.py, checkpoint.py and metrics/ mirror stylegan2-ada-pytorch's layout.
"""
