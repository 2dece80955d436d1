"""The copy engine: plain Python and PyTorch, no Django, so it runs and is tested on its own (as generation/gan/)."""
