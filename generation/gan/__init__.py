"""The image engine: a class-conditional GAN in plain PyTorch, with no Django import.

networks.py (ours) and baseline.py (a plain DCGAN to measure against), loss.py, augment.py, data.py,
training_loop.py, sampling.py, checkpoint.py and metrics/ mirror stylegan2-ada-pytorch's layout.
"""
