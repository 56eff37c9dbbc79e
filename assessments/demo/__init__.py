"""
The demo districts that ``manage.py load_demo`` loads: who works where (``cast``), how
well (``levels``), what they and their reviewers write (``words``), and the workflow
steps that take each assessment to the state the demo shows (``steps``). Demo only: never
imported by the portal itself.
"""
