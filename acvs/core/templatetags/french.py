"""`{{ office.name|of_name }}`, `{{ office.name|to_name }}`, `{{ office.name|the_name }}`, `{{ date|day:"l j F Y" }}`:
see acvs.core.french."""

from django import template

from acvs.core import french

register = template.Library()


@register.filter
def of_name(name):
    return french.of(str(name))


@register.filter
def to_name(name):
    return french.to(str(name))


@register.filter
def the_name(name):
    return french.the(str(name))


@register.filter(expects_localtime=True)
def day(value, format_string="DATE_FORMAT"):
    return french.day(value, format_string)
