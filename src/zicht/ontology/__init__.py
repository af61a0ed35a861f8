"""The framework model: the LinkML schema, its concept scheme and its generated artefacts."""
