using SkiaSharp;

namespace FourierRepro.Experiments.Core;

public sealed class ImageLoadException(string message, Exception? inner = null) : Exception(message, inner);

// A square RGB image, values in [0, 1], row-major [Size, Size, 3] (row 0 at the top).
public sealed record SquareImage(string Name, int Size, float[] Rgb)
{
    public float At(int row, int col, int channel) => Rgb[(row * Size + col) * 3 + channel];
}

public static class ImageFiles
{
    // Decodes an image file, centre-crops it to a square and resizes it to size × size with an antialiased
    // Lanczos-3 filter. A missing, unreadable or truncated file is an ImageLoadException naming the file.
    public static SquareImage LoadSquare(string path, int size)
    {
        if (!File.Exists(path)) throw new ImageLoadException($"image file not found: {path}");
        return LoadSquare(File.ReadAllBytes(path), path, size);
    }

    // The same from the file's bytes (read once, hashed for the run's identity, decoded here); `path` names it in errors.
    public static SquareImage LoadSquare(byte[] bytes, string path, int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "image size must be positive");
        var (width, height, rgb) = Decode(bytes, path);
        var (side, square) = CentreCrop(rgb, width, height);
        return new SquareImage(Path.GetFileName(path), size, Resize(square, side, side, size, size));
    }

    // RGB floats [height, width, 3] in [0, 1] (alpha ignored: the photographs are opaque).
    public static (int Width, int Height, float[] Rgb) Decode(string path)
    {
        if (!File.Exists(path)) throw new ImageLoadException($"image file not found: {path}");
        return Decode(File.ReadAllBytes(path), path);
    }

    public static (int Width, int Height, float[] Rgb) Decode(byte[] file, string path)
    {
        using var stream = new MemoryStream(file, writable: false); // disposed after the codec that reads it
        using var codec = SKCodec.Create(stream, out var openResult)
            ?? throw new ImageLoadException($"cannot read image file {path}: not a decodable image ({openResult})");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success) // IncompleteInput for a truncated file: refuse rather than train on half an image
            throw new ImageLoadException($"cannot read image file {path}: decoding stopped with {result} (truncated or corrupt?)");
        var bytes = bitmap.GetPixelSpan();
        var rgb = new float[info.Width * info.Height * 3];
        for (int p = 0; p < info.Width * info.Height; p++)
            for (int c = 0; c < 3; c++) rgb[p * 3 + c] = bytes[p * 4 + c] / 255f;
        return (info.Width, info.Height, rgb);
    }

    // The largest centred square: rows/columns (longer − shorter)/2 are dropped on each side (floor on the left/top).
    public static (int Side, float[] Rgb) CentreCrop(float[] rgb, int width, int height)
    {
        int side = Math.Min(width, height), x0 = (width - side) / 2, y0 = (height - side) / 2;
        var square = new float[side * side * 3];
        for (int r = 0; r < side; r++)
            Array.Copy(rgb, ((y0 + r) * width + x0) * 3, square, r * side * 3, side * 3);
        return (side, square);
    }

    // Separable resampling with a Lanczos-3 kernel stretched by the scale factor when shrinking (as PIL's LANCZOS
    // filter does), so a 4× reduction averages over the pixels it replaces instead of aliasing. Clamped to [0, 1].
    public static float[] Resize(float[] rgb, int width, int height, int newWidth, int newHeight)
    {
        if (width == newWidth && height == newHeight) return (float[])rgb.Clone();
        var horizontal = new float[height * newWidth * 3];
        var cx = Coefficients(width, newWidth);
        for (int r = 0; r < height; r++)
            for (int x = 0; x < newWidth; x++)
            {
                var (start, w) = cx[x];
                for (int c = 0; c < 3; c++)
                {
                    double s = 0;
                    for (int k = 0; k < w.Length; k++) s += w[k] * rgb[(r * width + start + k) * 3 + c];
                    horizontal[(r * newWidth + x) * 3 + c] = (float)s;
                }
            }
        var result = new float[newHeight * newWidth * 3];
        var cy = Coefficients(height, newHeight);
        for (int y = 0; y < newHeight; y++)
        {
            var (start, w) = cy[y];
            for (int x = 0; x < newWidth; x++)
                for (int c = 0; c < 3; c++)
                {
                    double s = 0;
                    for (int k = 0; k < w.Length; k++) s += w[k] * horizontal[((start + k) * newWidth + x) * 3 + c];
                    result[(y * newWidth + x) * 3 + c] = (float)Math.Clamp(s, 0, 1);
                }
        }
        return result;
    }

    static (int Start, double[] Weights)[] Coefficients(int inSize, int outSize)
    {
        const double Lobes = 3;
        double scale = (double)inSize / outSize, stretch = Math.Max(scale, 1), support = Lobes * stretch;
        var result = new (int, double[])[outSize];
        for (int i = 0; i < outSize; i++)
        {
            double centre = (i + 0.5) * scale; // output pixel centre in input pixel units
            int lo = Math.Max(0, (int)Math.Floor(centre - support)), hi = Math.Min(inSize, (int)Math.Ceiling(centre + support));
            var w = new double[hi - lo];
            double sum = 0;
            for (int j = lo; j < hi; j++) sum += w[j - lo] = Lanczos((j + 0.5 - centre) / stretch, Lobes);
            for (int k = 0; k < w.Length; k++) w[k] /= sum;
            result[i] = (lo, w);
        }
        return result;
    }

    static double Lanczos(double x, double a)
    {
        if (x == 0) return 1;
        if (Math.Abs(x) >= a) return 0;
        double px = Math.PI * x;
        return a * Math.Sin(px) * Math.Sin(px / a) / (px * px);
    }
}

// The pixel grid of an image regression task (Tancik et al. 2D notebook): pixel (row, col) of a Size × Size image
// sits at (x, y) = (col / Size, row / Size) in [0, 1)², so the even/even pixels are linspace(0, 1, Size/2 + 1)[:-1]
// on each axis, the notebook's x_train. Networks train on the even/even pixels; the paper's Table 1 tests on the
// odd/odd ones (a quarter of the image); "full" is every pixel.
public static class PixelGrid
{
    // [Size², 2] row-major coordinates (x, y) of every pixel, in pixel order.
    public static float[] Coordinates(int size)
    {
        var xy = new float[size * size * 2];
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++)
            {
                xy[(r * size + c) * 2] = (float)c / size;
                xy[(r * size + c) * 2 + 1] = (float)r / size;
            }
        return xy;
    }

    // Indices (into pixel order) of the pixels whose row and column are both ≡ parity (mod 2), in row-major order.
    public static long[] Subgrid(int size, int parity)
    {
        int half = size / 2;
        var idx = new long[half * half];
        for (int r = 0; r < half; r++)
            for (int c = 0; c < half; c++) idx[r * half + c] = (2 * r + parity) * size + 2 * c + parity;
        return idx;
    }

    public static long[] Train(int size) => Subgrid(size, 0);
    public static long[] Test(int size) => Subgrid(size, 1);
}
