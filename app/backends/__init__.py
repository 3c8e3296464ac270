"""Backend adapters, one package each, behind capability protocols."""
