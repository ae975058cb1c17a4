#!/usr/bin/env pwsh
<#
.SYNOPSIS
  Build, run every experiment at one scale into the results database, draw every figure, check every claim.
.DESCRIPTION
  Runs already completed in the database (same experiment, scale, seed and configuration) are skipped, so an
  interrupted run-all continues where it stopped. Exit code: 0 when every run completed and every required
  claim held; 1 when a run failed or a claim failed; 2 on bad input; 130 when interrupted.
.EXAMPLE
  dotnet tool restore; dotnet pwsh ./run-all.ps1 -Scale smoke
.EXAMPLE
  dotnet pwsh ./run-all.ps1 -Scale paper -Device cuda      # on a GPU machine (builds with -p:TorchBackend=cuda)
.EXAMPLE
  dotnet pwsh ./run-all.ps1 -Scale paper -Shard 2/4 -Db shards/2.db   # one part of the plan; no report (merge first)
#>
# No [CmdletBinding()]: its -Debug common parameter has the alias -db, which would clash with -Db.
param(
    [ValidateSet('smoke', 'standard', 'paper')] [string] $Scale = 'standard',
    [ValidateSet('auto', 'cpu', 'cuda')] [string] $Device = 'auto',
    [string] $Db = 'results/fourier.db',
    [string[]] $Experiments = @('all'),
    [ValidateRange(1, [int]::MaxValue)] [int] $FirstSeed = 1,
    [string] $Shard = '',   # K/N or auto: only that part of the plan, and no report (merge the shards first)
    [ValidateRange(0, 64)] [int] $Workers = 0,   # host processes sharing the database; 0 = 2 on a CPU with 2+ cores, else 1
    [switch] $Force
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$backend = if ($Device -eq 'cuda') { 'cuda' } else { 'cpu' }
$started = Get-Date

Write-Host "== build (Release, TorchBackend=$backend)"
foreach ($project in 'src/Experiments', 'src/Analysis') {
    dotnet build $project -c Release --nologo -v quiet "-p:TorchBackend=$backend"
    if ($LASTEXITCODE -ne 0) { Write-Error "build of $project failed"; exit $LASTEXITCODE }
}
$experimentsDll = 'src/Experiments/bin/Release/net10.0/FourierRepro.Experiments.dll'
$analysisDll = 'src/Analysis/bin/Release/net10.0/FourierRepro.Analysis.dll'

# `dotnet pwsh ./run-all.ps1 -Experiments a,b` (pwsh -File) passes "a,b" as one string: split it as the README writes it.
$Experiments = @($Experiments | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
Write-Host "== experiments ($($Experiments -join ', ')) at scale $Scale into $Db"
$runArgs = @('run') + $Experiments + @('--scale', $Scale, '--device', $Device, '--db', $Db, '--first-seed', $FirstSeed)
if ($Force) { $runArgs += '--force' }
if ($Shard) { $runArgs += @('--shard', $Shard) }
if ($Workers -eq 0) { $Workers = if ($Device -ne 'cuda' -and [Environment]::ProcessorCount -ge 2) { 2 } else { 1 } }
if ($Workers -eq 1) {
    dotnet $experimentsDll @runArgs
    $runExit = $LASTEXITCODE
} else {
    # Several workers on one database take the plan's runs one at a time through leases (README: several workers on one
    # database), each with its share of the cores: most runs' steps are too small to use two threads well (Core/
    # TorchThreads runs them on one), so two runs side by side finish sooner than one after another. Bad input is
    # decided once, by a dry run, before any worker starts.
    $check = dotnet $experimentsDll @runArgs --dry-run 2>&1
    if ($LASTEXITCODE -ne 0) { $check | Where-Object { $_ -like 'error:*' } | Write-Host; exit $LASTEXITCODE }
    $threads = [Math]::Max(1, [Math]::Floor([Environment]::ProcessorCount / $Workers))
    Write-Host "== $Workers workers, $threads torch thread(s) each"
    $jobs = 1..$Workers | ForEach-Object {
        if ($_ -gt 1) { Start-Sleep -Seconds 1 }  # the first worker creates and migrates a new database alone
        Start-ThreadJob -ArgumentList $_, $experimentsDll, ($runArgs + @('--threads', $threads)) -ScriptBlock {
            param($k, $dll, $arguments)
            & dotnet $dll @arguments 2>&1 | ForEach-Object { "[worker $k] $_" }
            [pscustomobject]@{ Worker = $k; Exit = $LASTEXITCODE }
        }
    }
    $exits = [System.Collections.Generic.List[int]]::new()
    # The workers' lines as they come, and each worker's exit code (its last object) once it ends.
    $drain = { foreach ($item in ($jobs | Receive-Job)) { if ($item -is [string]) { Write-Host $item } else { $exits.Add($item.Exit) } } }
    do {
        & $drain
        Start-Sleep -Milliseconds 250
    } while ($jobs | Where-Object { $_.State -notin 'Completed', 'Failed', 'Stopped' })
    & $drain
    $runExit = if ($exits -contains 2) { 2 } elseif ($exits -contains 130) { 130 } elseif ($exits.Count -lt $Workers -or ($exits | Where-Object { $_ -ne 0 })) { 1 } else { 0 }
}
if ($runExit -eq 2 -or $runExit -eq 130) { exit $runExit }  # bad input, or interrupted: nothing to report yet
if ($Shard) {
    # One shard holds part of the runs: a report from it alone would evaluate the claims on a fraction of the units.
    Write-Host "== shard $Shard done into $Db; when every shard is done: merge --into merged.db <shard databases>, then report --db merged.db"
    exit $runExit
}

Write-Host "== analysis: figures, claims and report in reports/$Scale"
# The report uses every completed run at this scale, whatever its seeds; with -FirstSeed it uses that block only.
$reportArgs = @('report', '--db', $Db, '--scale', $Scale, '--out', "reports/$Scale")
if ($FirstSeed -ne 1) { $reportArgs += @('--seeds', "$FirstSeed-$($FirstSeed + 9999)") }
dotnet $analysisDll @reportArgs
$reportExit = $LASTEXITCODE
if ($reportExit -eq 2) { exit 2 }

$minutes = ((Get-Date) - $started).TotalMinutes
Write-Host ("== done in {0:F1} min: runs {1}, claims {2}" -f $minutes, ($(if ($runExit -eq 0) { 'all completed' } else { 'some FAILED' })), ($(if ($reportExit -eq 0) { 'all required claims hold' } else { 'some FAILED' })))
if ($runExit -ne 0) { exit $runExit }
exit $reportExit
