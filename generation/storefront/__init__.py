"""The shopper-facing half of the studio: the store's articles, the storefront keys shoppers come in with, the
assistant's conversations and the staff's inbox. Its models, services, views and API live here together; the
answerer itself is generation/assistant/, without Django."""
