"""Pieces shared by the pages: context, language catalogue, figures, layout parts."""
