#pragma once
// The watcher's metrics and their Prometheus text form (exposition format
// 0.0.4): counters, gauges and histograms, each a family of series told
// apart by label sets.
//
// Threads: every MetricsRegistry method may be called from any thread.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace baton::runtime {

enum class MetricType { kCounter, kGauge, kHistogram };

// Label name/value pairs. Order does not matter: series are keyed by the
// sorted set, and rendered sorted by label name.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// The buckets the watcher's duration histograms use, in seconds.
std::vector<double> DurationBuckets();

struct MetricSeries {
  MetricLabels labels;  // sorted by name
  double value = 0;     // counter or gauge
  // Histograms: observations <= bounds[i] (cumulative, as rendered), then
  // sum and count (count is also the +Inf bucket).
  std::vector<uint64_t> bucket_counts;
  double sum = 0;
  uint64_t count = 0;
};

struct MetricFamily {
  std::string name;  // counters end in _total ("baton_watch_restarts_total")
  MetricType type = MetricType::kCounter;
  std::string help;
  std::vector<double> bounds;  // histograms only, ascending, without +Inf
  std::vector<MetricSeries> series;  // sorted by labels
};

class MetricsRegistry {
 public:
  // Declares a family. Declaring a name again changes nothing (the first
  // declaration wins). Using a name that was never declared declares it
  // with empty help and, for histograms, DurationBuckets().
  void DeclareCounter(const std::string& name, const std::string& help);
  void DeclareGauge(const std::string& name, const std::string& help);
  void DeclareHistogram(const std::string& name, const std::string& help,
                        std::vector<double> bounds = DurationBuckets());

  // Calls on a name declared with another type are ignored (a bug, but
  // never a crash).
  void Increment(const std::string& name, const MetricLabels& labels = {}, double by = 1);
  void SetGauge(const std::string& name, const MetricLabels& labels, double value);
  void Observe(const std::string& name, const MetricLabels& labels, double value);
  // Drops one series (a gauge of a host or service that went away).
  void Remove(const std::string& name, const MetricLabels& labels);

  // A copy of every family, sorted by name.
  std::vector<MetricFamily> Collect() const;
  // The value of a counter or gauge series; nullopt when absent (tests).
  std::optional<double> Value(const std::string& name, const MetricLabels& labels) const;

 private:
  struct Family {
    MetricType type;
    std::string help;
    std::vector<double> bounds;
    std::map<MetricLabels, MetricSeries> series;
  };
  Family& Declared(const std::string& name, MetricType type);  // caller holds mu_

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;  // guarded by mu_
};

// Every family as Prometheus text: "# HELP" (when help is set) and "# TYPE"
// lines, then one line per series; label values escape \\, \" and \n;
// histograms as NAME_bucket{...,le="B"} (cumulative, ending with le="+Inf"),
// NAME_sum and NAME_count. Pure.
std::string RenderPrometheus(const MetricsRegistry& registry);

// This process's resources as read from /proc/self (zero when unreadable).
struct ProcessSample {
  double resident_memory_bytes = 0;  // VmRSS
  double cpu_seconds = 0;            // utime + stime
};
ProcessSample ReadProcessSample();
// process_resident_memory_bytes (gauge) and process_cpu_seconds_total
// (counter) in the same text form. Pure.
std::string RenderProcessMetrics(const ProcessSample& sample);

}  // namespace baton::runtime
