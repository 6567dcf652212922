#!/bin/sh
# `cousilab render` as a template author runs it, with the Mustache spec's
# implicit iterator cases whose data is not an object: a list or a scalar
# at the root (interpolation.yml and sections.yml, v1.3).
#   render.sh PATH/TO/cousilab
set -eu
cousilab=$1
views=$(mktemp -d)
trap 'rm -rf "$views"' EXIT

# check NAME TEMPLATE DATA EXPECTED
check() {
	printf '%s' "$2" > "$views/$1.mustache"
	got=$(printf '%s' "$3" | "$cousilab" render --views "$views" "$1")
	if [ "$got" != "$4" ]; then
		printf 'render %s: got [%s], expected [%s]\n' "$1" "$got" "$4" >&2
		exit 1
	fi
}

check basic 'Hello, {{.}}!' '"world"' 'Hello, world!'
check escaped '{{.}}' '"& \" < >"' '&amp; &quot; &lt; &gt;'
check triple '{{{.}}}' '"& \" < >"' '& " < >'
check ampersand '{{&.}}' '"& \" < >"' '& " < >'
check integer '"{{.}} miles an hour!"' '85' '"85 miles an hour!"'
check root_list '"{{#.}}({{value}}){{/.}}"' '[{"value":"a"},{"value":"b"}]' '"(a)(b)"'
# An object still gets the layout's fields, as pages do.
check object '{{#css}}ok{{/css}}{{x}}' '{"x":1}' 'ok1'
# Bad JSON is refused, with a message.
if printf '{"x":' | "$cousilab" render --views "$views" basic 2>/dev/null; then
	echo 'render: bad JSON was accepted' >&2
	exit 1
fi
echo "render: ok"
