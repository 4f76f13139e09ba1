"""Search fields whose text is segmented into Thai words before indexing.

Use these instead of wagtail.search.index.SearchField/AutocompleteField in
models with Thai text; every backend then receives words separated by spaces.
"""

from wagtail.models import Page
from wagtail.search import index

from thai.words import segment_value


class SearchField(index.SearchField):
    def get_value(self, obj):
        return segment_value(super().get_value(obj))


class AutocompleteField(index.AutocompleteField):
    def get_value(self, obj):
        return segment_value(super().get_value(obj))


# Fields every page type is searched on (replacing Page.search_fields' title fields).
PAGE_SEARCH_FIELDS = [
    SearchField("title", boost=5),
    AutocompleteField("title"),
    *[f for f in Page.search_fields if not isinstance(f, (index.SearchField, index.AutocompleteField))],
]


def plain_text(obj, exclude=()):
    """The unsegmented text of an object's search fields, for snippets."""
    texts = []
    for field in obj.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name not in exclude:
            value = index.SearchField.get_value(field, obj)
            texts.extend(value if isinstance(value, (list, tuple)) else [value])
    return [str(value) for value in texts if value]
