"""The quality report (``gongkai report``): warehouse → one self-contained HTML file.

``collect`` reads the warehouse into the models of ``models``; ``drilldown`` and ``layouts``
build the per-report payload the inline script renders; ``charts`` draws inline SVG; ``page``
puts it together with ``style`` and ``script``. The command itself is ``gongkai.quality_report``.
"""
