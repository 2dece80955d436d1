"""The second image engine, a class-conditional VAE, as plain PyTorch beside generation/gan/ and in its shape:
networks.py (encoder and decoder for every image shape the GAN supports), loss.py, training_loop.py (progress,
abort, checkpoints that resume exactly) and sampling.py (samples, variations of a photo, blends). Its decoder is
called as the GAN's generator is (latents and labels in, images in [-1, 1] out), so the GAN's sampling, grids and
metrics serve both."""
