using FourierRepro.Experiments.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.Images;

public sealed record ImageFitSettings(int Depth, int Width, int Iterations, double LearningRate, int RecordEvery);

public sealed record ImageFitResult(double TrainPsnr, double TestPsnr, double FullPsnr);

// One coordinate MLP fitted to one image (Tancik et al. 2D notebook): the mapped coordinates of the even/even
// pixels in, RGB out through a sigmoid, full-batch Adam on the mean squared error. Records, every RecordEvery
// iterations and at the end, the PSNR (−10 log10 MSE, peak 1) on the training pixels, on the odd/odd test pixels
// (the paper's Table 1) and on the full image; and the final predicted image.
public static class ImageFit
{
    const int Chunk = 65_536; // pixels per evaluation (and encoding) batch: bounds the memory of a 512² image's features

    public static ImageFitResult Run(SquareImage image, InputMapping mapping, ImageFitSettings s, Rng initRng, RunContext context, IRunRecorder recorder)
    {
        if (image.Size % 2 != 0) throw new ArgumentException($"image {image.Name}: size {image.Size} is odd; the train/test split needs an even size");
        int size = image.Size, pixels = size * size;
        using var scope = torch.NewDisposeScope();
        var device = context.Device;
        var features = Encode(mapping, torch.tensor(PixelGrid.Coordinates(size), [pixels, 2L])).to(device); // once per run
        var target = torch.tensor(image.Rgb, [pixels, 3L]).to(device);
        var trainIdx = torch.tensor(PixelGrid.Train(size)).to(device);
        var testIdx = torch.tensor(PixelGrid.Test(size)).to(device);
        var trainX = features.index_select(0, trainIdx);
        var trainY = target.index_select(0, trainIdx);
        var testY = target.index_select(0, testIdx);

        using var model = new Mlp(new MlpShape(mapping.OutputDim, s.Width, s.Depth, 3), MlpInit.StaxGlorot, [initRng], device, OutputActivation.Sigmoid);
        ImageFitResult result = new(double.NaN, double.NaN, double.NaN);
        Trainer.Train(model, trainX, trainY, new TrainSettings(s.Iterations, s.LearningRate, s.RecordEvery), frame =>
        {
            using var inner = torch.NewDisposeScope();
            var full = Predict(model, features);
            result = new ImageFitResult(Psnr(frame.MemberLoss[0]), Psnr(Mse(full.index_select(0, testIdx), testY)), Psnr(Mse(full, target)));
            recorder.Metric(ImageFitContract.TrainPsnr, frame.Iteration, result.TrainPsnr);
            recorder.Metric(ImageFitContract.TestPsnr, frame.Iteration, result.TestPsnr);
            recorder.Metric(ImageFitContract.FullPsnr, frame.Iteration, result.FullPsnr);
            if (frame.Iteration == s.Iterations)
                recorder.Array(ImageFitContract.Prediction, frame.Iteration, [size, size, 3], full.cpu().data<float>().ToArray());
        }, context.Cancellation, i => context.Progress.Report(i, s.Iterations));
        return result;
    }

    // Training on the (size/2)² grid and the prediction of the whole size² image at every frame (Core/CostModel).
    public static double EstimatedSeconds(MlpShape shape, int size, int iterations, int recordEvery) =>
        CostModel.Training(shape, (long)size * size / 4, iterations) + CostModel.Forward(shape, (long)size * size, CostModel.Frames(iterations, recordEvery));

    public static double Psnr(double mse) => -10 * Math.Log10(mse);

    static double Mse(Tensor a, Tensor b) => (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).square().mean().item<double>();

    // γ(v) for every pixel, encoded in chunks (the float64 phases of 512² pixels × 256 frequencies would be 0.5 GB at once).
    static Tensor Encode(InputMapping mapping, Tensor coordinates)
    {
        using var scope = torch.NewDisposeScope();
        var parts = new List<Tensor>();
        for (long start = 0; start < coordinates.shape[0]; start += Chunk)
            parts.Add(mapping.Encode(coordinates.narrow(0, start, Math.Min(Chunk, coordinates.shape[0] - start))));
        return torch.cat(parts, 0).MoveToOuterDisposeScope();
    }

    // The network's output on every pixel, [pixels, 3], without gradients.
    static Tensor Predict(Mlp model, Tensor features)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < features.shape[0]; start += Chunk)
            parts.Add(model.Forward(features.narrow(0, start, Math.Min(Chunk, features.shape[0] - start)))[0]);
        return torch.cat(parts, 0).MoveToOuterDisposeScope();
    }
}
