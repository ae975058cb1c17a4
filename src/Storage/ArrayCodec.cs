using System.Runtime.InteropServices;
using System.Text.Json;

namespace FourierRepro.Storage;

// A stored array, decoded: row-major values (always returned as double) and its shape.
public sealed record NdArray(int[] Shape, double[] Data)
{
    public int Rows => Shape.Length == 1 ? 1 : Shape[0];
    public int Columns => Shape[^1];
    public double this[int row, int col] => Data[row * Columns + col];
    public double[] Row(int row) => Data.AsSpan(row * Columns, Columns).ToArray();
}

// Arrays are stored little-endian, row-major, as float32 or float64 bytes with their shape as JSON.
public static class ArrayCodec
{
    public const string Float32 = "float32";
    public const string Float64 = "float64";

    public static ArrayRecord Encode(long runId, string name, long step, int[] shape, ReadOnlySpan<float> data)
    {
        CheckShape(shape, data.Length, name);
        return new ArrayRecord { RunId = runId, Name = name, Step = step, Shape = JsonSerializer.Serialize(shape), Dtype = Float32, Data = MemoryMarshal.AsBytes(data).ToArray() };
    }

    public static ArrayRecord Encode(long runId, string name, long step, int[] shape, ReadOnlySpan<double> data)
    {
        CheckShape(shape, data.Length, name);
        return new ArrayRecord { RunId = runId, Name = name, Step = step, Shape = JsonSerializer.Serialize(shape), Dtype = Float64, Data = MemoryMarshal.AsBytes(data).ToArray() };
    }

    public static NdArray Decode(ArrayRecord record)
    {
        var shape = JsonSerializer.Deserialize<int[]>(record.Shape) ?? throw new InvalidDataException($"array {record.Name}: bad shape {record.Shape}");
        double[] data = record.Dtype switch
        {
            Float32 => Array.ConvertAll(MemoryMarshal.Cast<byte, float>(record.Data).ToArray(), v => (double)v),
            Float64 => MemoryMarshal.Cast<byte, double>(record.Data).ToArray(),
            _ => throw new InvalidDataException($"array {record.Name}: unknown dtype {record.Dtype}"),
        };
        CheckShape(shape, data.Length, record.Name);
        return new NdArray(shape, data);
    }

    static void CheckShape(int[] shape, int length, string name)
    {
        long n = 1;
        foreach (var s in shape) n *= s;
        if (n != length) throw new ArgumentException($"array {name}: shape [{string.Join(",", shape)}] holds {n} values, data has {length}");
    }
}
