using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FourierRepro.Storage;

// Used only by `dotnet ef migrations add` (see README, "Changing the schema").
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ResultsDbContext>
{
    public ResultsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ResultsDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
