// The output side of the loader: model -> Node (compose's shapes), Node ->
// YAML (quoting that reads back the same) and Node -> JSON.

#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <string>

#include "compose/serialize.h"

namespace baton::compose {
namespace {

using std::chrono::seconds;

// The YAML of service `web` alone, as it appears under services.web.
std::string ServiceYaml(const Service& service) {
  Project project;
  project.name = "shop";
  project.services["web"] = service;
  Node root = ProjectToNode(project);
  const Node* web = root.Find("services")->Find("web");
  REQUIRE(web != nullptr);
  return ToYaml(*web);
}

VolumeMount Mount(std::string type, std::string source, std::string target) {
  VolumeMount mount;
  mount.type = std::move(type);
  mount.source = std::move(source);
  mount.target = std::move(target);
  return mount;
}

EnvFile Env(std::string path, bool required) {
  EnvFile file;
  file.path = std::move(path);
  file.required = required;
  return file;
}

FileReference Ref(std::string source, std::string target = "") {
  FileReference ref;
  ref.source = std::move(source);
  ref.target = std::move(target);
  return ref;
}

ResourceSpec Limits(double cpus, int64_t memory) {
  ResourceSpec spec;
  spec.cpus = cpus;
  spec.memory = memory;
  return spec;
}

FileObject Object(std::string file, std::string environment, std::optional<std::string> content) {
  FileObject object;
  object.file = std::move(file);
  object.environment = std::move(environment);
  object.content = std::move(content);
  return object;
}

Service Image(std::string image) {
  Service service;
  service.image = std::move(image);
  return service;
}

Node Str(std::string text) { return Node::Scalar(std::move(text), /*quoted=*/true); }
Node Typed(std::string text) { return Node::Scalar(std::move(text), /*quoted=*/false); }

TEST_CASE("serialize: ports are long form with published as a string", "[compose][serialize]") {
  Service web;
  PortConfig port;
  port.host_ip = "127.0.0.1";
  port.target = 80;
  port.published = "8000";
  web.ports = {port};
  PortConfig random;
  random.target = 443;
  random.protocol = "udp";
  web.ports.push_back(random);
  CHECK(ServiceYaml(web) ==
        "ports:\n"
        "  - mode: ingress\n    host_ip: 127.0.0.1\n    target: 80\n"
        "    published: \"8000\"\n    protocol: tcp\n"
        "  - mode: ingress\n    target: 443\n    protocol: udp\n");
}

TEST_CASE("serialize: short-syntax mounts keep empty bind and volume sections",
          "[compose][serialize]") {
  Service web;
  VolumeMount bind = Mount("bind", "/srv/site", "/usr/share/nginx");
  bind.read_only = true;
  bind.bind_set = true;
  VolumeMount named = Mount("volume", "data", "/data");
  named.volume_set = true;
  web.volumes = {bind, named};
  CHECK(ServiceYaml(web) ==
        "volumes:\n"
        "  - type: bind\n    source: /srv/site\n    target: /usr/share/nginx\n"
        "    read_only: true\n    bind: {}\n"
        "  - type: volume\n    source: data\n    target: /data\n    volume: {}\n");
}

TEST_CASE("serialize: mount options print only when they differ from the default",
          "[compose][serialize]") {
  Service web;
  VolumeMount bind = Mount("bind", "/srv", "/srv");
  bind.bind_set = true;
  bind.bind_create_host_path = false;
  bind.bind_selinux = "z";
  VolumeMount tmpfs = Mount("tmpfs", "", "/cache");
  tmpfs.tmpfs_size = 10000;
  tmpfs.tmpfs_mode = 01777;
  web.volumes = {bind, tmpfs};
  CHECK(ServiceYaml(web) ==
        "volumes:\n"
        "  - type: bind\n    source: /srv\n    target: /srv\n"
        "    bind:\n      selinux: z\n      create_host_path: false\n"
        "  - type: tmpfs\n    target: /cache\n    tmpfs:\n      size: \"10000\"\n      mode: 1023\n");
}

TEST_CASE("serialize: environment is a map with null for unset variables",
          "[compose][serialize]") {
  Service web;
  web.environment = {{"DEBUG", "true"}, {"EMPTY", ""}, {"PORT", "8000"}, {"TOKEN", std::nullopt}};
  CHECK(ServiceYaml(web) ==
        "environment:\n  DEBUG: \"true\"\n  EMPTY: \"\"\n  PORT: \"8000\"\n  TOKEN: null\n");
}

TEST_CASE("serialize: env_file prints required only when false", "[compose][serialize]") {
  Service web;
  web.env_files = {Env("/p/a.env", true), Env("/p/b.env", false)};
  web.label_files = {"/p/a.label"};
  CHECK(ServiceYaml(web) ==
        "env_file:\n  - path: /p/a.env\n  - path: /p/b.env\n    required: false\n"
        "label_file:\n  - /p/a.label\n");
}

TEST_CASE("serialize: healthcheck durations are Go durations", "[compose][serialize]") {
  Service web;
  Healthcheck check;
  check.test = {"CMD-SHELL", "curl -f http://localhost/ || exit 1"};
  check.interval = seconds(90);
  check.timeout = std::chrono::milliseconds(1500);
  check.retries = 3;
  web.healthcheck = check;
  web.stop_grace_period = seconds(60);
  CHECK(ServiceYaml(web) ==
        "healthcheck:\n  test:\n    - CMD-SHELL\n    - curl -f http://localhost/ || exit 1\n"
        "  timeout: 1.5s\n  interval: 1m30s\n  retries: 3\n"
        "stop_grace_period: 1m0s\n");
}

TEST_CASE("serialize: deploy prints cpus as a number and memory as a string",
          "[compose][serialize]") {
  Service web;
  Deploy deploy;
  deploy.replicas = 2;
  deploy.limits = Limits(0.5, 52428800);
  deploy.restart_policy = RestartPolicy();
  deploy.restart_policy->condition = "on-failure";
  deploy.restart_policy->window = seconds(120);
  web.deploy = deploy;
  CHECK(ServiceYaml(web) ==
        "deploy:\n  replicas: 2\n  resources:\n    limits:\n      cpus: 0.5\n"
        "      memory: \"52428800\"\n  restart_policy:\n    condition: on-failure\n"
        "    window: 2m0s\n");
}

TEST_CASE("serialize: doubles are written as compose writes them", "[compose][serialize]") {
  auto cpus = [](double value) {
    Service web;
    web.deploy = Deploy();
    web.deploy->limits = Limits(value, 0);
    web.deploy->limits->memory.reset();
    return ServiceYaml(web);
  };
  auto want = [](const std::string& text) {
    return "deploy:\n  resources:\n    limits:\n      cpus: " + text + "\n";
  };
  CHECK(cpus(0.0001) == want("0.0001"));
  CHECK(cpus(0.00001) == want("1e-05"));
  CHECK(cpus(2.0) == want("2"));
  CHECK(cpus(1e6) == want("1000000"));
  CHECK(cpus(1e21) == want("1e+21"));
  CHECK(cpus(0.3) == want("0.3"));
}

TEST_CASE("serialize: secret references print uid, gid and mode as strings",
          "[compose][serialize]") {
  Service web;
  FileReference key = Ref("api_key", "key");
  key.uid = key.gid = "103";
  key.mode = 0440;
  web.secrets = {Ref("db_password"), key};
  CHECK(ServiceYaml(web) ==
        "secrets:\n  - source: db_password\n  - source: api_key\n    target: key\n"
        "    uid: \"103\"\n    gid: \"103\"\n    mode: \"0440\"\n");
}

TEST_CASE("serialize: depends_on prints condition and always required",
          "[compose][serialize]") {
  Service web;
  web.depends_on["db"].condition = "service_healthy";
  web.depends_on["db"].restart = true;
  web.depends_on["cache"].required = false;
  CHECK(ServiceYaml(web) ==
        "depends_on:\n  cache:\n    condition: service_started\n    required: false\n"
        "  db:\n    condition: service_healthy\n    restart: true\n    required: true\n");
}

TEST_CASE("serialize: service networks without options are null", "[compose][serialize]") {
  Service web;
  web.networks["back"] = std::nullopt;
  web.networks["front"] = ServiceNetwork();
  web.networks["front"]->aliases = {"www"};
  web.networks["front"]->priority = 10;
  web.networks["plain"] = ServiceNetwork{};
  CHECK(ServiceYaml(web) ==
        "networks:\n  back: null\n  front:\n    aliases:\n      - www\n    priority: 10\n"
        "  plain: {}\n");
}

TEST_CASE("serialize: ulimits are a number or soft and hard", "[compose][serialize]") {
  Service web;
  web.ulimits["nofile"].soft = 20000;
  web.ulimits["nofile"].hard = 40000;
  web.ulimits["nproc"].single = 65535;
  CHECK(ServiceYaml(web) ==
        "ulimits:\n  nofile:\n    soft: 20000\n    hard: 40000\n  nproc: 65535\n");
}

TEST_CASE("serialize: extra_hosts are sorted as compose prints them", "[compose][serialize]") {
  Service web;
  web.extra_hosts = {"somehost=162.242.195.82", "otherhost=50.31.209.229"};
  CHECK(ServiceYaml(web) ==
        "extra_hosts:\n  - otherhost=50.31.209.229\n  - somehost=162.242.195.82\n");
}

TEST_CASE("serialize: untyped keys take compose's place and extensions come last",
          "[compose][serialize]") {
  Service web;
  web.image = "nginx";
  web.command = std::vector<std::string>{"nginx", "-g", "daemon off;"};
  web.other.Set("tty", Typed("true"));
  web.other.Set("cgroup_parent", Str("m-executor"));
  web.extensions.Set("x-b", Str("2"));
  web.extensions.Set("x-a", Typed("1"));
  CHECK(ServiceYaml(web) ==
        "cgroup_parent: m-executor\ncommand:\n  - nginx\n  - -g\n  - daemon off;\n"
        "image: nginx\ntty: true\nx-a: 1\nx-b: \"2\"\n");
}

TEST_CASE("serialize: an empty command is kept as an empty list", "[compose][serialize]") {
  Service web;
  web.entrypoint = std::vector<std::string>{};
  CHECK(ServiceYaml(web) == "entrypoint: []\n");
}

TEST_CASE("serialize: a service with nothing set is an empty mapping", "[compose][serialize]") {
  CHECK(ServiceYaml(Service{}) == "{}\n");
}

TEST_CASE("serialize: build keeps compose's key order", "[compose][serialize]") {
  Service web;
  BuildConfig build;
  build.context = "/p/app";
  build.target = "prod";
  build.args = {{"VERSION", "1.0"}, {"TOKEN", std::nullopt}};
  build.shm_size = 1 << 20;
  build.other.Set("no_cache", Typed("true"));
  web.build = build;
  CHECK(ServiceYaml(web) ==
        "build:\n  context: /p/app\n  args:\n    TOKEN: null\n    VERSION: \"1.0\"\n"
        "  no_cache: true\n  target: prod\n  shm_size: \"1048576\"\n");
}

TEST_CASE("serialize: project sections come in compose's order", "[compose][serialize]") {
  Project project;
  project.name = "shop";
  project.networks["default"].name = "shop_default";
  project.volumes["data"].name = "shop_data";
  project.volumes["data"].driver = "local";
  project.extensions.Set("x-owner", Str("ops"));
  CHECK(ToYaml(ProjectToNode(project)) ==
        "name: shop\nservices: {}\nnetworks:\n  default:\n    name: shop_default\n"
        "volumes:\n  data:\n    name: shop_data\n    driver: local\nx-owner: ops\n");
}

TEST_CASE("serialize: disabled services are not printed", "[compose][serialize]") {
  Project project;
  project.services["web"] = Image("nginx");
  project.disabled_services["debug"] = Image("busybox");
  CHECK(ToYaml(ProjectToNode(project)) == "services:\n  web:\n    image: nginx\n");
}

TEST_CASE("serialize: secrets never show a value, configs show inline content",
          "[compose][serialize]") {
  Project project;
  project.secrets["token"] = Object("", "TOKEN", "hunter2");
  project.secrets["token"].name = "shop_token";
  project.secrets["key"] = Object("/p/key.pem", "", "-----BEGIN");
  project.configs["motd"] = Object("", "", "hello\n");
  project.configs["env"] = Object("", "MOTD", "from env");
  const std::string yaml = ToYaml(ProjectToNode(project));
  CHECK(yaml ==
        "services: {}\nsecrets:\n  key:\n    file: /p/key.pem\n"
        "  token:\n    name: shop_token\n    environment: TOKEN\n"
        "configs:\n  env:\n    environment: MOTD\n  motd:\n    content: |\n      hello\n");
}

TEST_CASE("serialize: external resources print external true", "[compose][serialize]") {
  Project project;
  project.networks["proxy"].name = "proxy";
  project.networks["proxy"].external = true;
  project.volumes["old"].external = true;
  project.volumes["old"].labels = {{"tier", "1"}};
  CHECK(ToYaml(ProjectToNode(project)) ==
        "services: {}\nnetworks:\n  proxy:\n    name: proxy\n    external: true\n"
        "volumes:\n  old:\n    external: true\n    labels:\n      tier: \"1\"\n");
}

// --- YAML quoting -------------------------------------------------------------

std::string YamlOf(Node value) {
  Node root = Node::Mapping();
  root.Set("k", std::move(value));
  return ToYaml(root);
}

TEST_CASE("yaml: strings that would read as other types are quoted", "[compose][serialize]") {
  for (const char* text : {"8000", "true", "False", "yes", "off", "y", "N", "null", "~", "",
                           "0440", "0x1F", "1.5", "1e3", ".inf", "-.5", "1_000", "12:30",
                           "2024-01-31", "+1", "0o17"}) {
    INFO(text);
    CHECK(YamlOf(Str(text)) == std::string("k: \"") + text + "\"\n");
  }
}

TEST_CASE("yaml: ordinary strings are plain", "[compose][serialize]") {
  for (const char* text : {"nginx:1.25", "-p", "172.16.238.10", "02:42:ac:11:65:43",
                           "2001:3984:3989::10", "a 7:* rmw", "label=level:s0:c100,c200",
                           "echo \"hello world\"", "http://x/#frag", "1.2.3", "héllo"}) {
    INFO(text);
    CHECK(YamlOf(Str(text)) == std::string("k: ") + text + "\n");
  }
}

TEST_CASE("yaml: strings that break plain syntax are double-quoted", "[compose][serialize]") {
  CHECK(YamlOf(Str("a: b")) == "k: \"a: b\"\n");
  CHECK(YamlOf(Str("a #b")) == "k: \"a #b\"\n");
  CHECK(YamlOf(Str("- item")) == "k: \"- item\"\n");
  CHECK(YamlOf(Str("*alias")) == "k: \"*alias\"\n");
  CHECK(YamlOf(Str(" padded ")) == "k: \" padded \"\n");
  CHECK(YamlOf(Str("ends:")) == "k: \"ends:\"\n");
  CHECK(YamlOf(Str("{x}")) == "k: \"{x}\"\n");
  CHECK(YamlOf(Str("tab\there\x01")) == "k: \"tab\\there\\x01\"\n");
  CHECK(YamlOf(Str("say \"hi\" \\ #")) == "k: \"say \\\"hi\\\" \\\\ #\"\n");
}

TEST_CASE("yaml: typed scalars are written plain", "[compose][serialize]") {
  CHECK(YamlOf(Typed("8000")) == "k: 8000\n");
  CHECK(YamlOf(Typed("true")) == "k: true\n");
  CHECK(YamlOf(Typed("0.001")) == "k: 0.001\n");
  CHECK(YamlOf(Typed("")) == "k: null\n");
  CHECK(YamlOf(Node::Null()) == "k: null\n");
}

TEST_CASE("yaml: multi-line strings are literal blocks with the right chomping",
          "[compose][serialize]") {
  CHECK(YamlOf(Str("FROM alpine\nRUN true\n")) == "k: |\n  FROM alpine\n  RUN true\n");
  CHECK(YamlOf(Str("one\n\ntwo")) == "k: |-\n  one\n\n  two\n");
  CHECK(YamlOf(Str("keep\n\n")) == "k: |+\n  keep\n\n");
  CHECK(YamlOf(Str(" indented\nsecond")) == "k: \" indented\\nsecond\"\n");
}

TEST_CASE("yaml: keys are quoted by the same rules", "[compose][serialize]") {
  Node root = Node::Mapping();
  root.Set("8080", Str("a"));
  root.Set("com.example.label", Str("b"));
  root.Set("a: b", Str("c"));
  CHECK(ToYaml(root) == "\"8080\": a\ncom.example.label: b\n\"a: b\": c\n");
}

TEST_CASE("yaml: nested sequences and mappings in sequences", "[compose][serialize]") {
  Node inner = Node::Sequence();
  inner.Append(Str("a"));
  inner.Append(Str("b"));
  Node item = Node::Mapping();
  item.Set("x", Typed("1"));
  item.Set("z", Node::Mapping());
  Node list = Node::Sequence();
  list.Append(inner);
  list.Append(item);
  list.Append(Node::Sequence());
  CHECK(YamlOf(list) == "k:\n  - - a\n    - b\n  - x: 1\n    z: {}\n  - []\n");
}

TEST_CASE("yaml: every string reads back as the same string through yaml-cpp",
          "[compose][serialize]") {
  const std::vector<std::string> texts = {
      "8000", "true", "", "0440", "a: b", "- x", "multi\nline\n", "tail\n\n\n", "x\ty",
      "\x7f", "null", " lead", "trail ", "#c", "\"q", "x #\\", "1e3", "a\r\nb",
      "\xE2\x80\xA8", "%x", "@x", "`x", "!x", "&x", "|x", ">x", "'x", "?x", ":x", ",x"};
  for (const std::string& text : texts) {
    INFO("text: [" << text << "]");
    YAML::Node read = YAML::Load(YamlOf(Str(text)));
    REQUIRE(read["k"].IsScalar());
    CHECK(read["k"].Scalar() == text);
    CHECK(read["k"].Tag() == "!");  // yaml-cpp's mark of a non-plain (string) scalar
  }
}

// --- JSON -----------------------------------------------------------------------

TEST_CASE("json: typed scalars are numbers, booleans and null and strings stay strings",
          "[compose][serialize]") {
  Node root = Node::Mapping();
  root.Set("port", Str("8000"));
  root.Set("replicas", Typed("3"));
  root.Set("cpus", Typed("0.5"));
  root.Set("init", Typed("true"));
  root.Set("token", Node::Null());
  root.Set("mode", Str("0440"));
  CHECK(ToJson(root) ==
        "{\n  \"cpus\": 0.5,\n  \"init\": true,\n  \"mode\": \"0440\",\n  \"port\": \"8000\",\n"
        "  \"replicas\": 3,\n  \"token\": null\n}\n");
}

TEST_CASE("json: lists, empty collections and invalid UTF-8", "[compose][serialize]") {
  Node list = Node::Sequence();
  list.Append(Str("a"));
  list.Append(Node::Mapping());
  list.Append(Node::Sequence());
  Node root = Node::Mapping();
  root.Set("items", list);
  root.Set("bad", Str("\xff"));
  CHECK(ToJson(root) ==
        "{\n  \"bad\": \"\xEF\xBF\xBD\",\n  \"items\": [\n    \"a\",\n    {},\n    []\n  ]\n}\n");
}

TEST_CASE("json: a project's sizes stay strings and durations are Go durations",
          "[compose][serialize]") {
  Service web;
  web.stop_grace_period = seconds(20);
  web.deploy = Deploy();
  web.deploy->limits = Limits(0.25, 1024);
  Project project;
  project.services["web"] = web;
  CHECK(ToJson(ProjectToNode(project)) ==
        "{\n  \"services\": {\n    \"web\": {\n      \"deploy\": {\n"
        "        \"resources\": {\n          \"limits\": {\n            \"cpus\": 0.25,\n"
        "            \"memory\": \"1024\"\n          }\n        }\n      },\n"
        "      \"stop_grace_period\": \"20s\"\n    }\n  }\n}\n");
}

}  // namespace
}  // namespace baton::compose
