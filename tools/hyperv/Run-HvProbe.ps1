<#
.SYNOPSIS
  Boots the hvprobe ISO in a new Gen2 Hyper-V VM, captures its serial
  console, waits for the verdict and removes the VM.

.DESCRIPTION
  Run as an administrator on a Windows host with the Hyper-V PowerShell
  module.  The VM gets Secure Boot off (hvprobe is not signed), the ISO as
  its first boot device, and COM1 on a named pipe, which this script reads
  into a log file.  With -Shutdown (build the ISO with finish=serve, e.g.
  ./run.sh --iso-only --set finish=serve) the script asks the waiting guest
  to shut down through the Shutdown integration service (Stop-VM) and checks
  that it obeyed.  Results the guest published through Data Exchange (KVP) are read
  too, when present.  Exit status: 0 PASS, 1 FAIL, 2 no verdict or an
  infrastructure problem, 3 NO-HYPERV.

  It cannot be run on the Linux machines the project is developed on; every
  cmdlet and parameter below was checked against Microsoft's Hyper-V module
  documentation (New-VM, Set-VMFirmware, Add-VMDvdDrive, Get-VMDvdDrive,
  Set-VMComPort, Enable-VMIntegrationService, Start-VM, Stop-VM, Remove-VM,
  Get-CimInstance/Get-CimAssociatedInstance with Msvm_KvpExchangeComponent).

.EXAMPLE
  .\Run-HvProbe.ps1 -Iso C:\hvprobe\hvprobe.iso -Log C:\hvprobe\serial.log -Shutdown
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Iso,
    [string] $Log = (Join-Path (Get-Location) 'serial.log'),
    [string] $VMName = "hvprobe-$([guid]::NewGuid().ToString('N').Substring(0, 8))",
    [int] $TimeoutSeconds = 300,
    [int64] $MemoryBytes = 512MB,
    [switch] $Shutdown,
    [switch] $GuestServices,
    [switch] $KeepVM
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$pipeName = "hvprobe-$VMName"

function Get-KvpGuestItems([string] $Name) {
    # Data Exchange: the items the guest published in its Guest pool
    $vm = Get-CimInstance -Namespace root/virtualization/v2 -ClassName Msvm_ComputerSystem -Filter "ElementName='$Name'"
    $kvp = Get-CimAssociatedInstance -InputObject $vm -ResultClassName Msvm_KvpExchangeComponent
    $items = @{}
    foreach ($xml in @($kvp.GuestExchangeItems)) {
        if (-not $xml) { continue }
        $doc = [xml]$xml
        $n = $doc.INSTANCE.PROPERTY | Where-Object { $_.NAME -eq 'Name' }
        $d = $doc.INSTANCE.PROPERTY | Where-Object { $_.NAME -eq 'Data' }
        if ($n -and $d) { $items[$n.VALUE] = $d.VALUE }
    }
    return $items
}

function Read-Serial([string] $Pipe, [string] $Path, [datetime] $Deadline, [string] $Name, [bool] $AskShutdown) {
    # Hyper-V is the pipe's server; it exists only while the VM runs.
    $client = New-Object System.IO.Pipes.NamedPipeClientStream('.', $Pipe, [System.IO.Pipes.PipeDirection]::In)
    while ($true) {
        try { $client.Connect(1000); break }
        catch [System.TimeoutException] { if ((Get-Date) -gt $Deadline) { throw 'the COM1 pipe never appeared' } }
    }
    $reader = New-Object System.IO.StreamReader($client)
    $writer = New-Object System.IO.StreamWriter($Path, $false)
    $esc = [char]27
    $verdict = $null
    try {
        while ((Get-Date) -lt $Deadline) {
            $task = $reader.ReadLineAsync()
            while (-not $task.Wait(500)) { if ((Get-Date) -gt $Deadline) { return $verdict } }
            $line = $task.Result
            if ($null -eq $line) { break }              # the VM powered off: the pipe closed
            # strip the firmware's terminal escape sequences (Windows PowerShell 5.1 has no `e)
            $line = ($line -replace "$esc\[[0-9;?=]*[A-Za-z]", '') -replace "`r", ''
            $writer.WriteLine($line)
            $writer.Flush()
            Write-Host $line
            if ($line -match '^hvprobe: verdict (\S+)') { $verdict = $Matches[1] }
            # with finish=serve the guest waits for us: ask through the Shutdown service
            if ($AskShutdown -and $line -match '^hvprobe: serving until the host asks') {
                # while the guest runs, its Data Exchange items are readable too
                try { $items = Get-KvpGuestItems $Name; foreach ($k in $items.Keys) { Write-Host "KVP $k = $($items[$k])" } }
                catch { Write-Verbose "no KVP items: $_" }
                Stop-VM -Name $Name -Force -AsJob | Out-Null
            }
        }
    } finally {
        $writer.Dispose()
        $reader.Dispose()
    }
    return $verdict
}

$status = 2
try {
    $isoPath = (Resolve-Path $Iso).Path
    New-VM -Name $VMName -Generation 2 -MemoryStartupBytes $MemoryBytes -NoVHD | Out-Null
    Set-VMFirmware -VMName $VMName -EnableSecureBoot Off
    Add-VMDvdDrive -VMName $VMName -Path $isoPath
    Set-VMFirmware -VMName $VMName -FirstBootDevice (Get-VMDvdDrive -VMName $VMName)
    Set-VMComPort -VMName $VMName -Number 1 -Path "\\.\pipe\$pipeName"
    if ($GuestServices) { Enable-VMIntegrationService -VMName $VMName -Name 'Guest Service Interface' }

    Start-VM -Name $VMName
    $deadline = (Get-Date).AddSeconds($TimeoutSeconds)
    $verdict = Read-Serial $pipeName $Log $deadline $VMName $Shutdown.IsPresent

    if ($Shutdown) {
        # the guest must have answered the Shutdown service, then powered off
        Start-Sleep -Seconds 2
        $state = (Get-VM -Name $VMName).State
        if ($state -ne 'Off') { Write-Warning "the guest did not power off after the shutdown request (state $state)"; $verdict = 'FAIL' }
        elseif (-not (Select-String -Path $Log -Pattern 'the host asked us to power off' -Quiet)) {
            Write-Warning 'the guest powered off without logging the shutdown request'; $verdict = 'FAIL'
        }
    }
    switch ($verdict) {
        'PASS' { $status = 0 }
        'FAIL' { $status = 1 }
        'NO-HYPERV' { $status = 3 }
        default { Write-Warning "no verdict within $TimeoutSeconds s (log: $Log)"; $status = 2 }
    }
} catch {
    Write-Error "infrastructure failure: $_" -ErrorAction Continue
    $status = 2
} finally {
    if (-not $KeepVM -and (Get-VM -Name $VMName -ErrorAction SilentlyContinue)) {
        Stop-VM -Name $VMName -TurnOff -Force -ErrorAction SilentlyContinue
        Remove-VM -Name $VMName -Force
    }
}
exit $status
