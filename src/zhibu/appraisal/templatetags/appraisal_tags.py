from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ dict|get_item:key }} for dicts and lists."""
    if mapping is None:
        return None
    try:
        return mapping[key] if not hasattr(mapping, "get") else mapping.get(key)
    except (IndexError, KeyError, TypeError):
        return None
