using System.Diagnostics;
using System.Text.Json;
using FourierRepro.Experiments.Core;
using FourierRepro.Storage;
using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.Hosting;

// `bench`: every figure is a ratio to the float32 GEMM rate measured in the same process a moment before, so that
// results from a noisy, shared machine can still be compared. Workloads go through the project's own code paths.
public static class Bench
{
    public sealed record Result(string Workload, string Unit, double Median, double Min, double Max, int Repeats,
        double FlopsPerRepeat, double AchievedGflops, double GemmGflops, double RatioToGemm, string Note);

    public static int Run(bool quick, string? jsonPath, int threads, TextWriter output, bool ntkOnly = false)
    {
        threads = TorchSetup.ConfigureThreads(threads);
        output.WriteLine($"bench: {(quick ? "quick" : "full")}, torch threads {threads}, {Environment.ProcessorCount} cores, libtorch {torch.__version__}");
        var results = new List<Result>();
        void Add(Result r)
        {
            results.Add(r);
            output.WriteLine(Format(r));
        }
        output.WriteLine($"{"workload",-44} {"median",10} {"min",10} {"max",10}  {"GFLOP/s",8} {"GEMM",8} {"ratio",6}  note");

        var (speedup, singleStep) = ntkOnly ? (double.NaN, double.NaN) : TrainingRows(quick, threads, output, Add);
        Add(NtkBuildAndSolve(quick ? 2048 : 4096, Gemm(1536, 4, ScalarType.Float64)));
        foreach (var row in NtkKernelSideBySide(quick ? 2048 : 4096, quick ? 3 : 9, Gemm(1536, 4, ScalarType.Float64))) Add(row);
        if (!ntkOnly)
        {
            Add(MetricWrites(quick ? 100_000 : 500_000, singleStep));
            Add(ImageMemory(quick ? 4_096 : 16_384, quick ? 300 : 2_000));
        }

        if (jsonPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(new
            {
                machine = new { Environment.ProcessorCount, threads, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, libtorch = torch.__version__ },
                quick,
                ensembleSpeedup = double.IsNaN(speedup) ? (double?)null : speedup, // NaN with --ntk-only; JSON has no NaN
                results,
            }, new JsonSerializerOptions { WriteIndented = true }));
            output.WriteLine($"wrote {jsonPath}");
        }
        return 0;
    }

    // The training rows: image steps, the spectral-bias step alone and as an ensemble, Adam. Returns the ensemble's
    // speed-up and the single network's step time (which the metric-writes row is a share of).
    static (double Speedup, double SingleStep) TrainingRows(bool quick, int threads, TextWriter output, Action<Result> Add)
    {
        foreach (int pixels in quick ? new[] { 16_384 } : new[] { 65_536, 16_384 })
            Add(ImageStep(pixels, quick ? 5 : 20, Gemm()));
        var gemm = Gemm();
        var single = SpectralBiasStep(members: 1, quick ? 50 : 200, gemm);
        Add(single);
        int k = 20;
        var ensemble = SpectralBiasStep(members: k, quick ? 10 : 40, Gemm());
        Add(ensemble);
        // One at a time, as the library would run it by default: all threads (TorchThreads picks 1 for such small steps).
        var singleAllThreads = SpectralBiasStep(members: 1, quick ? 50 : 200, Gemm(), threads);
        Add(singleAllThreads);
        double speedup = single.Median * k / ensemble.Median;
        output.WriteLine($"  ensemble of {k}: {k / ensemble.Median:F0} network-steps/s against {1 / single.Median:F0} one at a time on 1 thread ({speedup:F2}x) " +
                         $"and {1 / singleAllThreads.Median:F0} one at a time on {threads} threads ({singleAllThreads.Median * k / ensemble.Median:F2}x)");
        Add(AdamUpdate(k, quick ? 10 : 40));
        return (speedup, single.Median);
    }

    static string Format(Result r) =>
        $"{r.Workload,-44} {Fmt(r.Median, r.Unit),10} {Fmt(r.Min, r.Unit),10} {Fmt(r.Max, r.Unit),10}  {(r.AchievedGflops > 0 ? r.AchievedGflops.ToString("F1") : "-"),8} {r.GemmGflops,8:F1} {(r.RatioToGemm > 0 ? r.RatioToGemm.ToString("P0") : "-"),6}  {r.Note}";

    static string Fmt(double v, string unit) => unit == "s" ? (v < 0.1 ? $"{v * 1e3:F2} ms" : $"{v:F3} s") : $"{v:G4} {unit}";

    // The practical peak: best of several n² matmuls (float32 for training; float64, n = 1536, for the NTK).
    public static double Gemm(int n = 2048, int repeats = 6, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.rand(n, n, dtype: dtype);
        var b = torch.rand(n, n, dtype: dtype);
        torch.matmul(a, b).Dispose();
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            torch.matmul(a, b).Dispose();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    // The analytic NTK of a 4-layer, 1024-wide ReLU MLP (NT 0.2.2 standard) on N Gaussian-mapped 2D points
    // (256 frequencies, d = 512, as the image experiments), then kernel regression on it (Cholesky solve), float64.
    // FLOPs counted: the Gram matrix (2·N²·d) and the Cholesky factor and solve (N³/3 + 2·N²); the element-wise
    // layer passes are not counted, so the ratio understates the kernel's efficiency.
    static Result NtkBuildAndSolve(int n, double gemm64)
    {
        using var scope = torch.NewDisposeScope();
        var (x, rng) = NtkInputs(n);
        var y = torch.tensor(Enumerable.Range(0, n).Select(_ => rng.Normal()).ToArray());
        var spec = new NtkSpec(4, 1024);
        var times = new List<double>();
        var kernelTimes = new List<double>();
        // One warm-up: the first pass also pays for faulting in the 128 MB float64 matrices (with transparent huge
        // pages, ~1 s more: Hosting/NativeRuntime).
        for (int r = 0; r < 6; r++)
        {
            using var inner = torch.NewDisposeScope();
            var sw = Stopwatch.StartNew();
            var theta = Ntk.Kernel(spec, x, x);
            double kernel = sw.Elapsed.TotalSeconds;
            KernelRegression.Predict(theta, theta, y).Dispose();
            if (r == 0) continue;
            kernelTimes.Add(kernel);
            times.Add(sw.Elapsed.TotalSeconds);
        }
        kernelTimes.Sort();
        double flops = 2.0 * n * n * x.shape[1] + (double)n * n * n / 3 + 2.0 * n * n;
        var r0 = Summarise($"NTK N={n} (d=512, float64) + solve", times.ToArray(), flops, gemm64, "");
        return r0 with { Note = $"kernel alone {kernelTimes[kernelTimes.Count / 2]:F3} s (median); 1 warm-up; reference: float64 GEMM" };
    }

    // N Gaussian-mapped 2D points (256 frequencies, d = 512, σ = 10) as a float64 [N, 512] tensor, the NTK rows' input,
    // and the generator that drew them (NtkBuildAndSolve draws its targets from it next).
    static (Tensor X, Rng Rng) NtkInputs(int n)
    {
        var rng = new Rng(3);
        var points = new double[n * 2];
        for (int i = 0; i < points.Length; i++) points[i] = rng.NextDouble();
        var mapping = InputMapping.Gaussian(2, 256, 10, rng.Derive("B"));
        return (torch.tensor(mapping.Encode(points), [n, mapping.OutputDim]), rng);
    }

    // The analytic kernel alone, as NtkBuildAndSolve builds it: by the fused CPU pass (Ntk.Kernel, 8 lanes where AVX-512
    // runs natively, and on 4), and by whole-matrix torch operations (Ntk.KernelByTensorOps, the implementation before
    // it), the variants taking turns within each repeat so that a shared machine's load falls on all alike. FLOPs
    // counted: the Gram matrix only (2·N²·d), so the ratio to the float64 GEMM is the share of the time the GEMM part
    // would take at peak.
    static IEnumerable<Result> NtkKernelSideBySide(int n, int repeats, double gemm64)
    {
        using var scope = torch.NewDisposeScope();
        var (x, _) = NtkInputs(n);
        var spec = new NtkSpec(4, 1024);
        bool wide = Ntk.UseVector512;
        var variants = new List<(string Name, string Note, Func<Tensor> Kernel)>
        {
            ("fused", $"Ntk.Kernel ({(wide ? 8 : 4)} lanes); GFLOP/s counts the full product u·u′ (2N²d; a Gram matrix computes 10/16 of it)", () => Ntk.Kernel(spec, x, x)),
            ("tensor ops", "Ntk.KernelByTensorOps, the implementation before", () => Ntk.KernelByTensorOps(spec, x, x)),
        };
        if (wide)
            variants.Insert(1, ("fused, 4 lanes", "the same without AVX-512", () =>
            {
                Ntk.UseVector512 = false;
                try { return Ntk.Kernel(spec, x, x); }
                finally { Ntk.UseVector512 = true; }
            }));
        var times = variants.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r <= repeats; r++)   // r = 0: warm-up (page faults of the fresh 128 MB matrices)
            for (int v = 0; v < variants.Count; v++)
            {
                using var inner = torch.NewDisposeScope();
                var sw = Stopwatch.StartNew();
                variants[v].Kernel().Dispose();
                if (r > 0) times[v].Add(sw.Elapsed.TotalSeconds);
            }
        double flops = 2.0 * n * n * x.shape[1];
        var results = variants.Select((v, i) => Summarise($"NTK kernel N={n} d=512 f64, {v.Name}", times[i].ToArray(), flops, gemm64, v.Note)).ToList();
        var before = results[^1];
        return results.Select(r => r == before ? r : r with { Note = r.Note + $"; {before.Median / r.Median:F2}x the tensor ops (median), {before.Min / r.Min:F2}x (best)" });
    }

    // Per-step wall times of Trainer.Train (the project's training loop), after `warmup` steps.
    static double[] StepTimes(Mlp model, Tensor input, Tensor target, TrainSettings settings, int warmup)
    {
        if (warmup < 1) throw new ArgumentOutOfRangeException(nameof(warmup), "at least one warm-up step");
        var stamps = new List<long>();
        Trainer.Train(model, input, target, settings with { Iterations = warmup + settings.Iterations, RecordEvery = int.MaxValue }, null, default,
            i => stamps.Add(Stopwatch.GetTimestamp()));
        // stamps[i] is taken after update i + 1, so the interval ending at stamps[warmup] is the first step after warm-up.
        return stamps.Skip(warmup - 1).Zip(stamps.Skip(warmup), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalSeconds).ToArray();
    }

    // Order statistics of repeated timings; without counted FLOPs (or a GEMM reference) the rates are 0, not NaN.
    static Result Summarise(string workload, double[] times, double flops, double gemm, string note)
    {
        Array.Sort(times);
        double median = times[times.Length / 2];
        double gflops = flops / median / 1e9;
        return new Result(workload, "s", median, times[0], times[^1], times.Length, flops, gflops, gemm, gemm > 0 ? gflops / gemm : 0, note);
    }

    // The image-regression problem: Gaussian features (256 frequencies → 512 inputs, computed once) of a square grid
    // of `pixels` coordinates, a random RGB target, and a 4 × 256 ReLU MLP with sigmoid output. Disposed with the
    // caller's scope, except the model.
    static (Tensor Features, Tensor Target, Mlp Model) ImageProblem(int pixels, Rng rng)
    {
        int side = (int)Math.Sqrt(pixels);
        var coords = torch.stack([torch.linspace(0, 1, side).repeat_interleave(side), torch.linspace(0, 1, side).repeat(side)], 1);
        var features = InputMapping.Gaussian(2, 256, 10, rng.Derive("B")).Encode(coords);
        var model = new Mlp(new MlpShape(512, 256, 4, 3), MlpInit.StaxGlorot, [rng.Derive("init")], torch.CPU, OutputActivation.Sigmoid);
        return (features, torch.rand(pixels, 3), model);
    }

    // The spectral-bias networks (6 × 256, scalar input), `members` of them stacked as one batched model.
    static Mlp SpectralBiasModel(int members) =>
        new(new MlpShape(1, 256, 6, 1), MlpInit.TorchDefault, Enumerable.Range(1, members).Select(s => Rng.Derive(s, "init")).ToList(), torch.CPU);

    // The image-regression training step, full batch, Adam.
    static Result ImageStep(int pixels, int steps, double gemm)
    {
        using var scope = torch.NewDisposeScope();
        var (features, target, model) = ImageProblem(pixels, new Rng(1));
        using var _ = model;
        var times = StepTimes(model, features, target, new TrainSettings(steps, 1e-3, int.MaxValue), warmup: 3);
        return Summarise($"image step, {pixels} px", times, model.Shape.StepFlops(pixels), gemm, $"{steps} steps after 3 warm-up");
    }

    // The spectral-bias step (200 points, 6 × 256, Adam), one network or an ensemble trained as one batched model;
    // the thread count is the training loop's own choice (Core/TorchThreads) unless `threads` forces one.
    static Result SpectralBiasStep(int members, int steps, double gemm, int? threads = null)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.linspace(0, 1, 200).reshape(200, 1);
        var y = torch.sin(x * 30);
        using var model = SpectralBiasModel(members);
        var times = StepTimes(model, x, y, new TrainSettings(steps, 3e-4, int.MaxValue, Threads: threads), warmup: 5);
        string name = members == 1 ? "spectral-bias step, 1 network" : $"spectral-bias step, ensemble of {members}";
        if (threads is not null) name += $", {threads} threads";
        var r = Summarise(name, times, model.Shape.StepFlops(200, members), gemm, "");
        return r with { Note = $"{members / r.Median:F0} network-steps/s" };
    }

    // The Adam update alone for the parameters of an ensemble of spectral-bias networks (5.3 M for 20): the project's
    // one-pass FusedAdam against torch.optim.Adam, side by side on the same parameters and gradients.
    static Result AdamUpdate(int members, int steps)
    {
        using var scope = torch.NewDisposeScope();
        using var model = SpectralBiasModel(members);
        using var threads = TorchThreads.Use(model.Shape.StepFlops(200, members));
        var gradients = model.Parameters().Select(p => torch.randn_like(p).mul_(1e-3)).ToList();
        void SetGradients()
        {
            using var _ = torch.no_grad();
            foreach (var (p, g) in model.Parameters().Zip(gradients)) p.grad = g.clone();
        }
        double[] Time(Action step)
        {
            var times = new List<double>();
            for (int i = 0; i < steps + 3; i++)
            {
                SetGradients();
                var sw = Stopwatch.StartNew();
                step();
                if (i >= 3) times.Add(sw.Elapsed.TotalSeconds);
            }
            return times.ToArray();
        }
        using var fused = new FusedAdam(model.Parameters(), 1e-4);
        var fusedTimes = Time(fused.Step);
        using var reference = optim.Adam(model.Parameters(), 1e-4);
        var torchAdam = Summarise("torch.optim.Adam", Time(() => reference.step()), 0, 0, "");
        var r = Summarise($"Adam update, {members} networks ({model.Shape.ParameterCount() * members / 1e6:F1} M parameters)", fusedTimes, 0, 0, "");
        return r with { Note = $"torch.optim.Adam {torchAdam.Median * 1e3:F2} ms: {torchAdam.Median / r.Median:F1}x" };
    }

    // Metric rows through MetricWriter into a real SQLite file, and their share of a spectral-bias run's time
    // (7 metrics every 50 steps at smoke: loss and 6 spectral norms).
    static Result MetricWrites(int rows, double stepSeconds)
    {
        var dir = Directory.CreateTempSubdirectory("fourier-bench-");
        try
        {
            using var db = ResultsDatabase.Open(Path.Combine(dir.FullName, "bench.db"));
            db.Experiments.Add(new ExperimentRecord { Name = "bench", Paper = "", Reproduces = "", Summary = "" });
            var run = new RunRecord
            {
                Experiment = "bench", Scale = "smoke", Label = "", ConfigJson = "{}", ConfigHash = "bench", Status = RunStatus.Running,
                Device = "cpu", CodeVersion = "", LibraryVersions = "{}", Host = "", StartedAt = DateTime.UtcNow,
            };
            db.Runs.Add(run);
            db.SaveChanges();
            var batch = Enumerable.Range(0, rows).Select(i => new MetricRow(run.Id, "loss", i, 1.0 / (i + 1))).ToList();
            var sw = Stopwatch.StartNew();
            MetricWriter.Insert(db, batch);
            double seconds = sw.Elapsed.TotalSeconds;
            double perRow = seconds / rows;
            double share = 7 * perRow / (50 * stepSeconds);
            return new Result("metric rows written", "rows/s", rows / seconds, rows / seconds, rows / seconds, 1, 0, 0, 0, 0,
                $"{share:P2} of a spectral-bias run's time (7 rows per 50 steps)");
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { }
        }
    }

    // Resident set size during an image run, sampled every 50 steps: median and min of the samples from step 200 on,
    // the peak over the whole run, and the growth between step 200 and the last step.
    static Result ImageMemory(int pixels, int steps)
    {
        if (steps < 200) throw new ArgumentOutOfRangeException(nameof(steps), "growth is measured from step 200");
        using var scope = torch.NewDisposeScope();
        var (features, target, model) = ImageProblem(pixels, new Rng(2));
        using var _ = model;
        var samples = new List<double>();
        double peak = 0;
        var process = Process.GetCurrentProcess();
        double Rss()
        {
            process.Refresh();
            return process.WorkingSet64 / 1048576.0;
        }
        Trainer.Train(model, features, target, new TrainSettings(steps, 1e-3, 100), _ => { }, default, i =>
        {
            if (i % 50 != 0) return;
            double rss = Rss();
            peak = Math.Max(peak, rss);
            if (i >= 200) samples.Add(rss);
        });
        double at200 = samples[0], last = Rss();
        samples.Add(last);
        peak = Math.Max(peak, last);
        var sorted = samples.Order().ToArray();
        return new Result($"image run memory, {pixels} px, {steps} steps", "MiB", sorted[sorted.Length / 2], sorted[0], peak, sorted.Length, 0, 0, 0, 0,
            $"RSS at step 200 {at200:F0} MiB, at the end {last:F0} MiB: growth {(last - at200) / at200:P1}; peak {peak:F0} MiB");
    }
}
