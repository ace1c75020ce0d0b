"""Publishing: the MkDocs plugin and the atomic site build."""
