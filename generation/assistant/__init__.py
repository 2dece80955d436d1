"""The shopper assistant's answerer: plain Python, no Django, so it runs and is tested on its own (as
generation/gan/ and generation/copy/). It tells what is asked, retrieves from what the caller gives it (the
product in view, the store's articles, a catalog search) and composes an answer from that alone, with a
citation for every claim."""
