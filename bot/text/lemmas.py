"""Irregular English verb forms, mapped to their base form before stemming.

Snowball stems "launched" to "launch" but leaves "grew", "rose" and "built"
alone, so a question with "grow" would miss an article saying "grew".
"""

from __future__ import annotations

_FORMS = """
grow grew grown | rise rose risen | make made | build built | sell sold | buy bought |
lead led | spend spent | pay paid | tell told | take took taken | give gave given |
begin began begun | bring brought | hold held | fall fell fallen | run ran | write wrote
written | choose chose chosen | drive drove driven | meet met | leave left | find found |
go went gone | come came | see saw seen | know knew known | think thought | keep kept |
send sent | show shown | seek sought | strike struck | beat beaten | fly flew flown |
draw drew drawn | eat ate eaten | speak spoke spoken | steal stole stolen | teach taught |
win won | lose lost | break broke broken | forbid forbade forbidden | freeze froze frozen |
hide hid hidden | shake shook shaken | sing sang sung | swim swam swum | wear wore worn
"""

IRREGULAR: dict[str, str] = {
    form: forms.split()[0]
    for forms in _FORMS.replace("\n", " ").split("|")
    for form in forms.split()[1:]
}
