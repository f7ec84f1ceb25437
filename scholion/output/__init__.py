"""The last stages, the only ones that touch the output: write the rendered pages and exports
into a staging directory (:mod:`.write`), index it for search in shards (:mod:`.search`,
:mod:`.shards`), then publish it in one atomic swap."""
