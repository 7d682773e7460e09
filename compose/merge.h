#pragma once
// The compose-spec merge rules, applied to canonical trees (Canonicalise has
// run on both sides): how a later compose file (-f a.yaml -f b.yaml) changes
// an earlier one, how a service changes the service it `extends`, and how a
// file changes a resource it also `include`s.
//
// Mappings merge key by key, scalars are replaced, and sequences are appended,
// except where compose has a rule for the key (merge_rules.cc lists them):
// - replaced whole: command, entrypoint, healthcheck.test, each ulimit;
// - merged by key, a later value (even a bare `KEY`) replacing an earlier
//   one: environment, labels, annotations, sysctls, build args/labels/
//   additional_contexts, deploy labels, network and volume labels;
// - appended, a later item replacing an earlier item with the same key in
//   place: ports (host_ip, published, target, protocol), volumes (target),
//   secrets and configs (target, else the default target of their source),
//   devices (target), env_file (path), dns/dns_opt/dns_search, tmpfs,
//   cap_add/cap_drop, expose, links, profiles, build tags, network aliases
//   and link_local_ips; extra_hosts keep the first of equal entries;
// - logging: options merge only when both sides name the same driver (or
//   one names none), otherwise the later logging replaces the earlier;
// - networks.*.ipam.config: entries merge by subnet.
// A later null leaves the earlier value as it is. A value tagged `!reset`
// removes the earlier value (a `!reset` sequence item is dropped); a value
// tagged `!override` replaces the earlier value whole. Sequences with a
// uniqueness rule are also made unique within one file, as compose does.
// Results carry no `!reset`/`!override` tags.

#include <string_view>

#include "base/result.h"
#include "compose/node.h"

namespace baton::compose {

// Merges `override_file` (a whole canonical compose file, or Null for an
// empty file) over `base`. `base` may be an empty Mapping: merging one file
// into it applies `!reset` and the uniqueness rules to that file alone.
// Errors (kInvalid) name the override's position: a mapping or sequence
// overridden by a value of another kind, "cannot override a mapping with a
// string".
Result<Node> MergeFiles(Node base, const Node& override_file);

// Merges one top-level resource `override` over `base`, both definitions of
// the resource at `section`.`name` ("services", "web"), with the rules above.
// Used by extends (section "services") and include.
Result<Node> MergeResource(std::string_view section, std::string_view name, Node base,
                           const Node& override);

}  // namespace baton::compose
