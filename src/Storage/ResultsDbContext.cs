using System.Text;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Storage;

public sealed class ResultsDbContext(DbContextOptions<ResultsDbContext> options) : DbContext(options)
{
    public DbSet<ExperimentRecord> Experiments => Set<ExperimentRecord>();
    public DbSet<RunRecord> Runs => Set<RunRecord>();
    public DbSet<MetricDefinition> MetricDefinitions => Set<MetricDefinition>();
    public DbSet<MetricRecord> Metrics => Set<MetricRecord>();
    public DbSet<ArrayRecord> Arrays => Set<ArrayRecord>();
    public DbSet<ArtifactRecord> Artifacts => Set<ArtifactRecord>();
    public DbSet<ClaimCheckRecord> ClaimChecks => Set<ClaimCheckRecord>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<ExperimentRecord>(e =>
        {
            e.ToTable("experiments");
            e.HasKey(x => x.Name);
        });
        b.Entity<RunRecord>(e =>
        {
            e.ToTable("runs");
            e.HasIndex(x => new { x.Experiment, x.Scale, x.Seed, x.ConfigHash }).IsUnique();
            e.HasIndex(x => x.Status);
            e.HasOne<ExperimentRecord>().WithMany().HasForeignKey(x => x.Experiment);
        });
        b.Entity<MetricDefinition>(e =>
        {
            e.ToTable("metric_definitions");
            e.HasKey(x => new { x.Experiment, x.Name });
            e.HasOne<ExperimentRecord>().WithMany().HasForeignKey(x => x.Experiment);
        });
        b.Entity<MetricRecord>(e =>
        {
            e.ToTable("metrics");
            e.HasIndex(x => new { x.RunId, x.Name, x.Step });
            e.HasOne<RunRecord>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ArrayRecord>(e =>
        {
            e.ToTable("arrays");
            e.HasIndex(x => new { x.RunId, x.Name, x.Step });
            e.HasOne<RunRecord>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ArtifactRecord>(e =>
        {
            e.ToTable("artifacts");
            e.HasIndex(x => new { x.Scale, x.Experiment });
        });
        b.Entity<ClaimCheckRecord>(e =>
        {
            e.ToTable("claim_checks");
            e.HasIndex(x => new { x.ClaimId, x.Scale });
        });

        foreach (var entity in b.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
                property.SetColumnName(SnakeCase(property.Name));
            foreach (var key in entity.GetKeys())
                key.SetName(SnakeCase(key.GetName() ?? ""));
            foreach (var fk in entity.GetForeignKeys())
                fk.SetConstraintName(SnakeCase(fk.GetConstraintName() ?? ""));
            foreach (var index in entity.GetIndexes())
                index.SetDatabaseName(SnakeCase(index.GetDatabaseName() ?? ""));
        }
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool boundary = i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
                if (boundary && name[i - 1] != '_') sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
