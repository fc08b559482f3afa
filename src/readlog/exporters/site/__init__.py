"""`readlog site`: the journal's public part as a static reading blog.

content.py reads the books (with a parse cache), context.py turns them into pages (pure), build.py renders
the pages through the templates and swaps the finished site into place, serve.py previews it.
"""

from readlog.exporters.site.build import BuildResult, build_site
from readlog.exporters.site.context import Options

__all__ = ["BuildResult", "Options", "build_site"]
