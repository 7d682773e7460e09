#pragma once
// The canonicalisation rules the schema tables point at (internal to the
// canonical stage). Each checks one value written in any of its syntaxes and
// rewrites it, in place, into the single long form later stages expect.
// `at` is the value's model path; errors are located kInvalid errors.
// Rules must be idempotent: a canonical value is left unchanged.

#include <string>

#include "base/result.h"
#include "compose/node.h"

namespace baton::compose::canonical {

// Scalars the rules create carry the mark of the text they came from.
inline Node Text(std::string text, const Mark& mark) {
  return Node::Scalar(std::move(text), /*quoted=*/true, mark);
}
inline Node Plain(std::string text, const Mark& mark) {
  return Node::Scalar(std::move(text), /*quoted=*/false, mark);
}

// --- canonical_lists.cc ----------------------------------------------------
// ["K=V", "K"] or {K: V} -> {K: "V", K: null}; scalar values become strings.
Status ListOrDict(Node& node, const ModelPath& at);
// Like ListOrDict, but every list item needs a value: ["name=path"].
Status KeyValueList(Node& node, const ModelPath& at);
// build.ssh: ["default", "id=path"] -> {default: null, id: path}.
Status SshKeys(Node& node, const ModelPath& at);
// "a" -> ["a"]; a list of strings stays.
Status StringOrList(Node& node, const ModelPath& at);
// ["host:ip", "host=ip"] or {host: ip | [ips]} -> ["host=ip", ...].
Status ExtraHosts(Node& node, const ModelPath& at);
// "f" or ["f", {path: f}] -> [{path: f, required: true}, ...].
Status EnvFile(Node& node, const ModelPath& at);

// --- canonical_ports.cc ----------------------------------------------------
// Every short form of services.*.ports -> one long mapping per port.
Status Ports(Node& node, const ModelPath& at);
// One expose item: 3000 -> "3000"; checks "port[-port][/proto]".
Status ExposeItem(Node& node, const ModelPath& at);

// --- canonical_volumes.cc --------------------------------------------------
// One services.*.volumes item: "src:dst:mode" -> {type, source, target, ...}.
Status ServiceVolume(Node& node, const ModelPath& at);
// One services.*.devices item: "src:dst:perm" -> {source, target, permissions}.
Status Device(Node& node, const ModelPath& at);

// --- canonical_service.cc --------------------------------------------------
// command/entrypoint: a string is split into words as compose does.
Status Command(Node& node, const ModelPath& at);
// healthcheck.test: "cmd" -> ["CMD-SHELL", "cmd"].
Status HealthcheckTest(Node& node, const ModelPath& at);
// [a, b] -> {a: {condition: service_started, required: true}, b: ...}.
Status DependsOn(Node& node, const ModelPath& at);
// services.*.networks: [a, b] -> {a: null, b: null}.
Status ServiceNetworks(Node& node, const ModelPath& at);
// services.*.models: [a, b] -> {a: null, b: null}.
Status ServiceModels(Node& node, const ModelPath& at);
// One secrets/configs item: "name" -> {source: name}; mode -> "0440".
Status FileMount(Node& node, const ModelPath& at);
// build: "dir" -> {context: dir}.
Status Build(Node& node, const ModelPath& at);
// extends: "svc" -> {service: svc}.
Status Extends(Node& node, const ModelPath& at);
// One ulimits value: a number stays a scalar; {soft, hard} is checked.
Status Ulimit(Node& node, const ModelPath& at);
// gpus: "all" -> [{count: all}].
Status Gpus(Node& node, const ModelPath& at);
// restart: no | always | on-failure[:N] | unless-stopped.
Status Restart(Node& node, const ModelPath& at);
// pull_policy: always | never | build | missing | ... | every_<duration>.
Status PullPolicy(Node& node, const ModelPath& at);

// --- canonical_resources.cc ------------------------------------------------
// Top-level networks/volumes/secrets/configs entries: null -> {};
// external: {name: x} -> name: x, external: true.
Status Network(Node& node, const ModelPath& at);
Status Volume(Node& node, const ModelPath& at);
Status Secret(Node& node, const ModelPath& at);
Status Config(Node& node, const ModelPath& at);
// One include item: "f" -> {path: [f]}; path and env_file become lists.
Status Include(Node& node, const ModelPath& at);

}  // namespace baton::compose::canonical
