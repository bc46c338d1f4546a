@problemName Zlse
@dimensions nan