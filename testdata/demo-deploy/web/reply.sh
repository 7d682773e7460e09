#!/bin/sh
# One HTTP answer: the banner (a config), this replica's host, and what
# api, asked by name on whichever host it runs, said.
reply=$(nc -w 1 api 9000 </dev/null)
printf 'HTTP/1.0 200 OK\r\n\r\n%s v%s from %s; api said: %s\n' \
  "$(cat /etc/shop/banner)" "$(cat /version)" "$(hostname)" "$reply"
