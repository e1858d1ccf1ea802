"""The one door to the language model: the client, the exchange log, the prompts."""
