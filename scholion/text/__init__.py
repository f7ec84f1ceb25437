"""Text, as every stage sees it: Markdown made into sanitized HTML (:mod:`.markup`, the one way
content becomes HTML), the normalisation quotes are matched under (:mod:`.normalize`), and the
indexed text a reader sees of that HTML (:mod:`.index`). Below the model, since an article
carries its indexed text."""
