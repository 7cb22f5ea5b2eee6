using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace TeaTrace.Benchmarks;

// Not a top-level Program: the service's own Program type is visible here and the names would clash.
internal static class BenchmarkRunner
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkRunner).Assembly)
            .Run(args, DefaultConfig.Instance.AddColumn(StatisticColumn.OperationsPerSecond));
}
