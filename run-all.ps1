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

Write-Host "== experiments ($($Experiments -join ', ')) at scale $Scale into $Db"
$runArgs = @('run') + $Experiments + @('--scale', $Scale, '--device', $Device, '--db', $Db, '--first-seed', $FirstSeed)
if ($Force) { $runArgs += '--force' }
if ($Shard) { $runArgs += @('--shard', $Shard) }
dotnet $experimentsDll @runArgs
$runExit = $LASTEXITCODE
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
