using FourierRepro.Experiments.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.Reconstruction;

public sealed record ReconstructionSettings(int Depth, int Width, int Iterations, double LearningRate, int RecordEvery);

// One reconstruction from indirect observations (Tancik Table 1, CT and MRI rows): the image or volume on the whole
// grid is either a coordinate MLP's sigmoid output through an input mapping, or (mapping null: "gridopt") a free
// logit per pixel through a sigmoid; it is never compared with the phantom in training, only through `loss`, the
// forward model's misfit of the observations. Full-batch Adam. Records, every RecordEvery iterations and at the end,
// the PSNR of the reconstruction against the phantom and the training loss, and the final reconstruction.
public static class ReconstructionFit
{
    public static void Run(float[] truth, int[] shape, float[,]? coordinates, InputMapping? mapping, Func<Tensor, Tensor> loss,
        ReconstructionSettings s, Rng initRng, RunContext context, IRunRecorder recorder)
    {
        using var scope = torch.NewDisposeScope();
        var device = context.Device;
        var target = torch.tensor(truth).to(device).to(ScalarType.Float64);
        Mlp? model = null;
        Tensor? features = null;
        Parameter? logits = null;
        IEnumerable<Parameter> parameters;
        if (mapping is null)
        {
            logits = new Parameter(torch.zeros(truth.Length, device: device)); // sigmoid(0) = ½ everywhere, where an untrained MLP starts too
            parameters = [logits];
        }
        else
        {
            var coords = coordinates ?? throw new ArgumentException("an MLP reconstruction needs coordinates");
            features = mapping.Encode(torch.tensor(coords).to(device));
            model = new Mlp(new MlpShape(mapping.OutputDim, s.Width, s.Depth, 1), MlpInit.StaxGlorot, [initRng], device); // sigmoid applied below
            parameters = model.Parameters();
        }
        try
        {
            using var optimizer = new FusedAdam(parameters, s.LearningRate);
            optimizer.ZeroGrad();
            using var threads = TorchThreads.Use(model?.Shape.StepFlops(truth.Length) ?? 0);
            for (int i = 0; ; i++)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                using (var step = torch.NewDisposeScope())
                {
                    var image = Sigmoid(model is null ? logits! : model.Forward(features!)[0].view(-1));
                    var misfit = loss(image);
                    bool last = i == s.Iterations;
                    if (i % s.RecordEvery == 0 || last)
                    {
                        double l = misfit.item<float>();
                        if (!double.IsFinite(l)) throw new TrainingDivergedException($"observation loss became {l} at iteration {i}");
                        using var _ = torch.no_grad();
                        double mse = image.detach().to(ScalarType.Float64).sub(target).square().mean().item<double>();
                        recorder.Metric(FourierRepro.Contracts.ReconstructionContract.Psnr, i, -10 * Math.Log10(mse));
                        recorder.Metric(FourierRepro.Contracts.ReconstructionContract.ObservationLoss, i, l);
                        if (last) recorder.Array(FourierRepro.Contracts.ReconstructionContract.Prediction, i, shape, image.detach().cpu().data<float>().ToArray());
                    }
                    if (last) break;
                    misfit.backward(); // gradients are zero here: cleared before the loop and by every Step
                    optimizer.Step();
                }
                context.Progress.Report(i + 1, s.Iterations);
                GC.Collect(0); // as Core/Trainer: finalizable TorchSharp handles keep native memory until collected
                if (i % 10 == 9) GC.WaitForPendingFinalizers();
            }
        }
        finally
        {
            model?.Dispose();
        }
    }

    // The output sigmoid on logits clamped to ±30. A network that saturates (no mapping at lr 1e-2 often drives the
    // whole image to 0) otherwise yields sigmoid values and gradients below float32's normal range, and denormal
    // arithmetic made its steps 7x slower on this CPU (64² CT: 0.37 s against 0.055 s per step; TorchSharp has no
    // set_flush_denormal). Beyond ±30 the sigmoid is within 1e-13 of 0 or 1 and its slope below 1e-13: nothing a
    // float32 step could use.
    static Tensor Sigmoid(Tensor logits) => torch.sigmoid(logits.clamp(-30, 30));

    // x = linspace(0, 1, R + 1)[:-1] per axis (the notebooks' input grid), one row per grid point in row-major order
    // of `dims` axes, coordinates listed fastest axis first (x, y[, z]): [R^dims, dims].
    public static float[,] Coordinates(int r, int dims)
    {
        int n = (int)Math.Pow(r, dims);
        var c = new float[n, dims];
        for (int p = 0; p < n; p++)
        {
            int rest = p;
            for (int axis = 0; axis < dims; axis++) { c[p, axis] = (float)(rest % r) / r; rest /= r; }
        }
        return c;
    }

    // Training steps on the whole grid (the frames reuse the step's forward pass), for Core/CostModel; mapping null is gridopt.
    public static double EstimatedSeconds(InputMapping? mapping, int width, int depth, long points, int iterations) =>
        mapping is null
            ? iterations * 2e-4 // gridopt: a few element-wise passes per step
            : CostModel.Training(new MlpShape(mapping.OutputDim, width, depth, 1), points, iterations);

    // The input mapping of a method on `dims`-D coordinates, as both notebooks build it; null for gridopt (no network).
    public static InputMapping? Mapping(string experiment, string method, int dims, double posEncScale, int posEncPerAxis,
        int gaussianFeatures, double sigma, Rng rng) => method switch
    {
        ReconstructionNames.None => InputMapping.None(dims),
        ReconstructionNames.Basic => InputMapping.Basic(dims),
        ReconstructionNames.PosEnc => InputMapping.PositionalEncoding(dims, posEncScale, posEncPerAxis),
        ReconstructionNames.Gaussian => InputMapping.Gaussian(dims, gaussianFeatures, sigma, rng),
        ReconstructionNames.GridOpt => null,
        _ => throw new ConfigException($"{experiment}: unknown method '{method}'"),
    };

    // One grid point per phantom and method, phantom-major, labelled "method/phantom-i"; `point` narrows the
    // configuration to that method and phantom.
    public static IEnumerable<PlannedConfig> Grid<TConfig>(string[] methods, int[] phantoms, Func<string, int, TConfig> point) where TConfig : class =>
        from phantom in phantoms
        from method in methods
        select new PlannedConfig($"{method}/{ReconstructionNames.PhantomName(phantom)}", point(method, phantom));
}
