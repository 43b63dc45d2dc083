"""Plain HTTP routes beside the Dash pages: health, API, downloads."""
