namespace FourierRepro.Storage;

// The contract between Experiments (writer) and Analysis (reader). Property names map to snake_case
// columns (ResultsDbContext), because users query the file with sqlite3.

public sealed class ExperimentRecord
{
    public required string Name { get; set; }            // e.g. spectral-bias (ExperimentInfo.Name); the key
    public required string Paper { get; set; }           // e.g. "Rahaman et al. 2019"
    public required string Reproduces { get; set; }      // e.g. "Fig. 1"
    public required string Summary { get; set; }
    public string? PaperDefaults { get; set; }           // canonical JSON of the configuration defaults at the paper scale
}

public static class RunStatus
{
    public const string Pending = "pending";         // planned (by a `run` that has started its plan), not yet started
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Interrupted = "interrupted";
}

public sealed class RunRecord
{
    public long Id { get; set; }
    public required string Experiment { get; set; }
    public required string Scale { get; set; }
    public int Seed { get; set; }
    public required string Label { get; set; }           // human-readable grid point, e.g. "amplitudes=equal"
    public required string ConfigJson { get; set; }      // canonical JSON of the resolved configuration
    public required string ConfigHash { get; set; }      // SHA-256 of ConfigJson; with experiment, scale, seed: the run's identity
    public required string Status { get; set; }          // RunStatus
    public int Attempts { get; set; }                    // how often this identity was started
    public required string Device { get; set; }
    public int Threads { get; set; }
    public required string CodeVersion { get; set; }     // git commit, "+dirty" when the tree had changes
    public required string LibraryVersions { get; set; } // JSON: TorchSharp, libtorch, .NET, EF Core
    public required string Host { get; set; }           // machine name and OS
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public double? DurationSeconds { get; set; }
    public string? Error { get; set; }
    // The lease of the worker that trains (or last trained) the run: host:pid:suffix, kept after the run ends for
    // diagnosis; null while pending. A `running` row whose heartbeat is older than the lease timeout is taken over.
    public string? WorkerId { get; set; }
    public DateTime? HeartbeatAt { get; set; }           // UTC; written every few seconds while the run trains
}

// What a metric means, declared once per experiment (STYLE 11): which direction is better and its unit.
public sealed class MetricDefinition
{
    public required string Experiment { get; set; }
    public required string Name { get; set; }
    public required string Goal { get; set; }            // "minimize", "maximize" or "none"
    public required string Unit { get; set; }
    public required string Description { get; set; }
}

// Metric rows are written with a prepared ADO.NET insert (MetricWriter), not through the change tracker.
// SQLite stores a NaN REAL as NULL, so NaN is kept as value = NULL, is_nan = 1; ±Infinity is stored as is.
public sealed class MetricRecord
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public required string Name { get; set; }
    public long Step { get; set; }
    public double? Value { get; set; }
    public bool IsNan { get; set; }
}

public sealed class ArrayRecord
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public required string Name { get; set; }
    public long Step { get; set; }
    public required string Shape { get; set; }           // JSON, e.g. "[600,10]"
    public required string Dtype { get; set; }           // "float32" or "float64", little-endian, row-major
    public required byte[] Data { get; set; }
}

public sealed class ArtifactRecord
{
    public long Id { get; set; }
    public required string Path { get; set; }            // relative to the report folder's parent, e.g. "reports/smoke/fig1.png"
    public required string Kind { get; set; }            // "figure-png", "figure-svg", "report-md", "report-html"
    public required string Scale { get; set; }
    public required string Experiment { get; set; }
    public required string RunIds { get; set; }          // JSON array of the runs it was drawn from
    public required string ContentHash { get; set; }     // SHA-256 of the file
    public DateTime CreatedAt { get; set; }
}

public sealed class ClaimCheckRecord
{
    public long Id { get; set; }
    public required string ClaimId { get; set; }
    public required string Experiment { get; set; }
    public required string Scale { get; set; }
    public double? Measured { get; set; }
    public required string Expectation { get; set; }     // the tolerance as text, e.g. "Spearman rho >= 0.8"
    public bool Passed { get; set; }                     // reproduced (empirical) or holds (identity)
    public string Kind { get; set; } = "empirical";      // empirical | identity
    public string? Verdict { get; set; }                 // reproduced | not reproduced | holds | ... as the report shows it
    public double? ControlMeasured { get; set; }         // the same measure on the negative control
    public bool? ControlHeld { get; set; }               // whether the effect held on the control (it must not)
    public double? PValue { get; set; }                  // one-sided, under the claim's null hypothesis
    public double? CiLow { get; set; }                   // 95 % interval of the effect
    public double? CiHigh { get; set; }
    public int? N { get; set; }                          // units the statistic used (seeds, images, runs)
    public required string Details { get; set; }
    public required string RunIds { get; set; }          // JSON array
    public DateTime EvaluatedAt { get; set; }
}
