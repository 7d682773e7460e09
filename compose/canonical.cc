// The canonical stage's entry points. The canonical forms it produces, which
// the merge, extends and normalisation rely on:
// - ports: a list of mappings {mode, host_ip?, target, published?, protocol,
//   ...}; short specs expand to one entry per container port; target is a
//   plain number, published a string ("8080" or a host range "8000-8010");
//   mode (ingress) and protocol (tcp) are always present.
// - expose, group_add, list_of_strings keys: lists of strings.
// - volumes: mappings {type, source?, target, read_only?, consistency?,
//   bind?, volume?, tmpfs?, image?}; a short bind gets
//   bind: {create_host_path: true} (+ selinux, propagation), a short volume
//   gets volume: {} (+ nocopy).
// - devices: mappings {source, target, permissions}.
// - environment, labels, annotations, sysctls, build.args, build.labels,
//   deploy.labels, *.labels, options: mappings of strings, null for `KEY`
//   given without a value; driver_opts, storage_opt, ipam options: mappings
//   of strings; build.additional_contexts: mapping of strings; build.ssh:
//   mapping id -> path or null.
// - extra_hosts (service and build): list of "host=ip", one per address.
// - command, entrypoint, hooks' command: lists of strings (null kept).
// - healthcheck.test: a list (a string becomes ["CMD-SHELL", string]).
// - dns, dns_search, tmpfs, label_file, no_cache_filter, develop.watch
//   ignore/include, include path/env_file: lists of strings.
// - env_file: list of {path, required (default true), format?}.
// - depends_on: mapping name -> {condition?, required?, restart?}; the list
//   form gives {condition: service_started, required: true}.
// - networks, models (service): mapping name -> null or mapping.
// - secrets, configs (service and build): list of {source, target?, uid?,
//   gid?, mode?}; mode is the octal text "0440".
// - build: a mapping (a string becomes {context: string}).
// - extends: {service, file?}. gpus: list of device requests ("all" ->
//   [{count: all}]). ulimits: name -> integer or {soft, hard}.
// - top-level networks/volumes/secrets/configs: each a mapping (null ->
//   {}); external is a plain boolean and external.name moves to name.
// - include: list of {path: [...], env_file?: [...], project_directory?}.
// - booleans are plain "true"/"false"; durations, byte sizes and numbers
//   keep their text (checked here, parsed by normalisation); other scalars
//   are strings (quoted).

#include "compose/canonical.h"

#include "compose/schema.h"

namespace baton::compose {

Status Canonicalise(Node& file_root) {
  if (file_root.IsNull()) return Status::Ok();
  return schema::Check(file_root, schema::kFile, ModelPath());
}

Status CanonicaliseService(Node& service, const ModelPath& at) {
  return schema::Check(service, schema::kService, at);
}

}  // namespace baton::compose
