"""Plans to outputs: Markdown pages, SVG pictures, calendars, spreadsheets."""
