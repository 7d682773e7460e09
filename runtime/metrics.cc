// Metric families and their Prometheus text exposition (format 0.0.4).

#include "runtime/metrics.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

namespace baton::runtime {
namespace {

MetricLabels Sorted(MetricLabels labels) {
  std::sort(labels.begin(), labels.end());
  return labels;
}

// Go's strconv.FormatFloat(v, 'g', -1): the shortest text that reads back
// the same; Prometheus writes infinities as +Inf and -Inf.
std::string FormatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[64];
  auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  if (ec != std::errc()) return "0";
  return std::string(text, end);
}

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// HELP text escapes only backslash and newline.
std::string EscapeHelp(const std::string& help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// {a="1",b="2"} with `extra` (the histogram's le) last; "" for no labels.
std::string LabelText(const MetricLabels& labels, const std::string& extra = "") {
  if (labels.empty() && extra.empty()) return "";
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ',';
    out += name + "=\"" + EscapeLabelValue(value) + "\"";
  }
  if (!extra.empty()) {
    if (out.size() > 1) out += ',';
    out += extra;
  }
  return out + "}";
}

std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

void RenderHistogram(const MetricFamily& family, const MetricSeries& series, std::string& out) {
  for (size_t i = 0; i < family.bounds.size(); ++i) {
    uint64_t n = i < series.bucket_counts.size() ? series.bucket_counts[i] : 0;
    out += family.name + "_bucket" +
           LabelText(series.labels, "le=\"" + FormatNumber(family.bounds[i]) + "\"") + " " +
           std::to_string(n) + "\n";
  }
  out += family.name + "_bucket" + LabelText(series.labels, "le=\"+Inf\"") + " " +
         std::to_string(series.count) + "\n";
  out += family.name + "_sum" + LabelText(series.labels) + " " + FormatNumber(series.sum) + "\n";
  out += family.name + "_count" + LabelText(series.labels) + " " +
         std::to_string(series.count) + "\n";
}

void RenderFamily(const MetricFamily& family, std::string& out) {
  if (!family.help.empty()) out += "# HELP " + family.name + " " + EscapeHelp(family.help) + "\n";
  out += "# TYPE " + family.name + " " + std::string(TypeName(family.type)) + "\n";
  for (const MetricSeries& series : family.series) {
    if (family.type == MetricType::kHistogram) {
      RenderHistogram(family, series, out);
      continue;
    }
    out += family.name + LabelText(series.labels) + " " + FormatNumber(series.value) + "\n";
  }
}

}  // namespace

std::vector<double> DurationBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
}

MetricsRegistry::Family& MetricsRegistry::Declared(const std::string& name, MetricType type) {
  auto [it, inserted] = families_.try_emplace(name, Family{type, "", {}, {}});
  if (inserted && type == MetricType::kHistogram) it->second.bounds = DurationBuckets();
  return it->second;
}

void MetricsRegistry::DeclareCounter(const std::string& name, const std::string& help) {
  std::lock_guard lock(mu_);
  families_.try_emplace(name, Family{MetricType::kCounter, help, {}, {}});
}

void MetricsRegistry::DeclareGauge(const std::string& name, const std::string& help) {
  std::lock_guard lock(mu_);
  families_.try_emplace(name, Family{MetricType::kGauge, help, {}, {}});
}

void MetricsRegistry::DeclareHistogram(const std::string& name, const std::string& help,
                                       std::vector<double> bounds) {
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  std::erase_if(bounds, [](double b) { return std::isinf(b) || std::isnan(b); });
  std::lock_guard lock(mu_);
  families_.try_emplace(name, Family{MetricType::kHistogram, help, std::move(bounds), {}});
}

void MetricsRegistry::Increment(const std::string& name, const MetricLabels& labels, double by) {
  std::lock_guard lock(mu_);
  Family& family = Declared(name, MetricType::kCounter);
  if (family.type != MetricType::kCounter || by < 0) return;  // counters never go down
  MetricLabels key = Sorted(labels);
  MetricSeries& series = family.series[key];
  series.labels = key;
  series.value += by;
}

void MetricsRegistry::SetGauge(const std::string& name, const MetricLabels& labels, double value) {
  std::lock_guard lock(mu_);
  Family& family = Declared(name, MetricType::kGauge);
  if (family.type != MetricType::kGauge) return;
  MetricLabels key = Sorted(labels);
  MetricSeries& series = family.series[key];
  series.labels = key;
  series.value = value;
}

void MetricsRegistry::Observe(const std::string& name, const MetricLabels& labels, double value) {
  std::lock_guard lock(mu_);
  Family& family = Declared(name, MetricType::kHistogram);
  if (family.type != MetricType::kHistogram) return;
  MetricLabels key = Sorted(labels);
  MetricSeries& series = family.series[key];
  series.labels = key;
  series.bucket_counts.resize(family.bounds.size());
  for (size_t i = 0; i < family.bounds.size(); ++i)
    if (value <= family.bounds[i]) ++series.bucket_counts[i];
  series.sum += value;
  ++series.count;
}

void MetricsRegistry::Remove(const std::string& name, const MetricLabels& labels) {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it != families_.end()) it->second.series.erase(Sorted(labels));
}

std::vector<MetricFamily> MetricsRegistry::Collect() const {
  std::lock_guard lock(mu_);
  std::vector<MetricFamily> out;
  for (const auto& [name, family] : families_) {
    MetricFamily copy{name, family.type, family.help, family.bounds, {}};
    for (const auto& [labels, series] : family.series) copy.series.push_back(series);
    out.push_back(std::move(copy));
  }
  return out;
}

std::optional<double> MetricsRegistry::Value(const std::string& name,
                                             const MetricLabels& labels) const {
  std::lock_guard lock(mu_);
  auto family = families_.find(name);
  if (family == families_.end()) return std::nullopt;
  auto series = family->second.series.find(Sorted(labels));
  if (series == family->second.series.end()) return std::nullopt;
  return series->second.value;
}

std::string RenderPrometheus(const MetricsRegistry& registry) {
  std::string out;
  for (const MetricFamily& family : registry.Collect()) RenderFamily(family, out);
  return out;
}

ProcessSample ReadProcessSample() {
  ProcessSample sample;
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (!line.starts_with("VmRSS:")) continue;
    std::istringstream fields(line.substr(6));
    double kib = 0;
    if (fields >> kib) sample.resident_memory_bytes = kib * 1024;
  }
  // Fields 14 and 15 (utime, stime, clock ticks) follow the command name,
  // which ends at the last ')' and may itself hold spaces.
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return sample;
  std::istringstream rest(stat.substr(close + 1));
  std::string field;
  double utime = 0, stime = 0;
  for (int index = 3; index <= 15 && rest >> field; ++index) {
    if (index == 14) utime = std::strtod(field.c_str(), nullptr);
    if (index == 15) stime = std::strtod(field.c_str(), nullptr);
  }
  long ticks = ::sysconf(_SC_CLK_TCK);
  if (ticks > 0) sample.cpu_seconds = (utime + stime) / static_cast<double>(ticks);
  return sample;
}

std::string RenderProcessMetrics(const ProcessSample& sample) {
  return "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
         "# TYPE process_resident_memory_bytes gauge\n"
         "process_resident_memory_bytes " +
         FormatNumber(sample.resident_memory_bytes) +
         "\n"
         "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
         "# TYPE process_cpu_seconds_total counter\n"
         "process_cpu_seconds_total " +
         FormatNumber(sample.cpu_seconds) + "\n";
}

}  // namespace baton::runtime
