// The canonical stage over real compose files: every awesome-compose file
// canonicalises, and compose-go's full example gives the long forms compose
// prints for it.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compose/canonical.h"
#include "compose/interpolate.h"
#include "compose/paths.h"
#include "compose/serialize.h"
#include "compose/yaml_reader.h"

namespace baton::compose {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(BATON_SOURCE_DIR) / ".." / "shared" / "corpus";

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
    text.replace(at, from.size(), to);
  return text;
}

// Mappings compare without regard to key order; compose sorts some keys.
bool SameUnordered(const Node& a, const Node& b) {
  if (a.kind() != b.kind()) return false;
  if (a.IsScalar()) return a.scalar() == b.scalar();
  if (a.IsSequence()) {
    if (a.items().size() != b.items().size()) return false;
    for (size_t i = 0; i < a.items().size(); ++i)
      if (!SameUnordered(a.items()[i], b.items()[i])) return false;
    return true;
  }
  if (a.IsMapping()) {
    if (a.entries().size() != b.entries().size()) return false;
    for (const MapEntry& e : a.entries()) {
      const Node* other = b.Find(e.key);
      if (!other || !SameUnordered(e.value, *other)) return false;
    }
  }
  return true;
}

void CheckSameUnordered(const Node& actual, const Node& expected, const std::string& what) {
  INFO(what << "\nactual:\n" << ToYaml(actual) << "expected:\n" << ToYaml(expected));
  CHECK(SameUnordered(actual, expected));
}

const Node& Get(const Node& root, std::initializer_list<const char*> path) {
  const Node* node = &root;
  for (const char* key : path) {
    node = node->Find(key);
    REQUIRE(node != nullptr);
  }
  return *node;
}

std::vector<fs::path> AwesomeComposeFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kCorpus / "awesome-compose")) {
    std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path());
  }
  return files;
}

TEST_CASE("canonical corpus: every awesome-compose file canonicalises", "[compose][canonical]") {
  if (!fs::exists(kCorpus / "awesome-compose")) {
    WARN("corpus not found at " << kCorpus.string() << "; skipped");
    return;
  }
  std::vector<fs::path> files = AwesomeComposeFiles();
  CHECK(files.size() >= 30);
  Lookup any_value = [](std::string_view) -> std::optional<std::string> { return "value"; };
  for (const fs::path& file : files) {
    INFO(file.string());
    auto root = ParseYaml(ReadText(file), file.string());
    REQUIRE(root.ok());
    REQUIRE(Interpolate(*root, any_value).ok());
    Status s = Canonicalise(*root);
    CHECK(s.ok());
    if (!s.ok()) WARN(s.error().ToString());
  }
}

struct FullExample {
  Node actual;
  Node expected;
};

FullExample LoadFullExample() {
  const std::string work = "/work/project";
  const std::string home = "/home/user";
  fs::path input = kCorpus / "compose-go" / "loader" / "full-example.yml";
  auto root = ParseYaml(ReadText(input), "full-example.yml");
  REQUIRE(root.ok());
  Lookup env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "COMPOSE_PROJECT_NAME") return "full_example_project_name";
    return std::nullopt;
  };
  REQUIRE(Interpolate(*root, env).ok());
  Status s = Canonicalise(*root);
  if (!s.ok()) FAIL(s.error().ToString());
  ResolvePaths(*root, PathContext{work, home});
  std::string expected_text = ReadText(kCorpus / "compose-go" / "expected" /
                                       "full-example.expected.yaml");
  expected_text = ReplaceAll(ReplaceAll(expected_text, "__WORKING_DIR__", work),
                             "__HOME_DIR__", home);
  auto expected = ParseYaml(expected_text, "full-example.expected.yaml");
  REQUIRE(expected.ok());
  return {std::move(*root), std::move(*expected)};
}

TEST_CASE("canonical corpus: full-example service keys take compose's long forms",
          "[compose][canonical]") {
  if (!fs::exists(kCorpus / "compose-go")) {
    WARN("corpus not found at " << kCorpus.string() << "; skipped");
    return;
  }
  FullExample fx = LoadFullExample();
  const Node& foo = Get(fx.actual, {"services", "foo"});
  const Node& want = Get(fx.expected, {"services", "foo"});
  // Keys whose canonical form is what compose prints; environment, labels,
  // deploy (parsed durations and sizes) and volumes' bind sections are
  // normalisation's business.
  for (const char* key :
       {"annotations", "cap_add", "command", "configs", "depends_on", "devices", "dns",
        "dns_search", "entrypoint", "expose", "external_links", "extra_hosts",
        "healthcheck", "label_file", "links", "logging", "networks", "ports", "secrets",
        "storage_opt", "sysctls", "tmpfs", "ulimits"})
    CheckSameUnordered(Get(foo, {key}), Get(want, {key}), key);
  for (const char* key : {"context", "additional_contexts", "secrets", "tags", "labels", "args"})
    CheckSameUnordered(Get(foo, {"build", key}), Get(want, {"build", key}), key);
  // compose prints `required: true` (its default) by leaving it out.
  Node env_files = Get(foo, {"env_file"});
  for (Node& entry : env_files.items())
    if (entry.Find("required")->scalar() == "true") entry.Erase("required");
  CheckSameUnordered(env_files, Get(want, {"env_file"}), "env_file");
}

TEST_CASE("canonical corpus: full-example volumes match compose apart from bind options",
          "[compose][canonical]") {
  if (!fs::exists(kCorpus / "compose-go")) {
    WARN("corpus not found at " << kCorpus.string() << "; skipped");
    return;
  }
  FullExample fx = LoadFullExample();
  const Node& actual = Get(fx.actual, {"services", "foo", "volumes"});
  const Node& expected = Get(fx.expected, {"services", "foo", "volumes"});
  REQUIRE(actual.items().size() == expected.items().size());
  for (size_t i = 0; i < actual.items().size(); ++i) {
    Node a = actual.items()[i];
    Node e = expected.items()[i];
    // compose prints create_host_path: true (its default) as bind: {}.
    if (Node* bind = a.Find("bind")) bind->Erase("create_host_path");
    CheckSameUnordered(a, e, "volumes[" + std::to_string(i) + "]");
  }
}

TEST_CASE("canonical corpus: full-example resources match compose", "[compose][canonical]") {
  if (!fs::exists(kCorpus / "compose-go")) {
    WARN("corpus not found at " << kCorpus.string() << "; skipped");
    return;
  }
  FullExample fx = LoadFullExample();
  for (const char* section : {"networks", "volumes", "secrets", "configs"})
    CheckSameUnordered(Get(fx.actual, {section}), Get(fx.expected, {section}), section);
}

}  // namespace
}  // namespace baton::compose
