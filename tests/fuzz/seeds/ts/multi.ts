@problemName M
@univariate false
@dimensions 2
@equalLength true
@seriesLength 3
@classLabel true a b
@data
1,2,3:10,20,30:a
4,?,6:40,50,60:b
